import Synchronization

extension Head {
    /// Every value of label `name` in the head, byte-sorted; cached until a value of `name`
    /// appears or disappears, so repeated listings (Grafana's variables) and prefix matchers do
    /// not sort again.
    func sortedLabelValues(_ name: String) -> [String] {
        let (cached, values, changes) = postings.withLock { postings in
            (postings.sortedValues[name], postings.byName[name] ?? [:], postings.pairChanges)
        }
        if let cached { return cached }
        let sorted = values.keys.sorted(by: byteOrder)
        postings.withLock { postings in
            if postings.pairChanges == changes { postings.sortedValues[name] = sorted }
        }
        return sorted
    }
}
