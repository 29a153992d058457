import VigilModel

extension Labels {
    /// Labels from a name-to-value map (empty values dropped, as every `Labels` drops them).
    init(dictionary: [String: String]) {
        self.init(dictionary.map { Label(name: $0.key, value: $0.value) })
    }
}
