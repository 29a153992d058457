import VigilModel

/// The head's inverted index: label name → value → sorted series refs, plus every ref.
///
/// Held under the head's postings lock. Lists are copy-on-write arrays, so a reader copies what it
/// needs in O(1) under the lock and works on the snapshot after releasing it.
struct MemPostings: Sendable {
    var byName: [String: [String: [SeriesRef]]] = [:]
    var all: [SeriesRef] = []
    /// Distinct label name/value pairs.
    var pairCount = 0
    /// Byte-sorted values per label name, filled by readers and dropped for a name when one of
    /// its values appears or disappears: listing 100k values of `pod` should not sort them again
    /// on every request while nothing changed.
    var sortedValues: [String: [String]] = [:]
    /// Counts pairs created and removed, so a reader that sorted outside the lock knows whether
    /// its result is still current.
    var pairChanges: UInt64 = 0

    mutating func add(_ ref: SeriesRef, _ labels: Labels) {
        MemPostings.insert(ref, into: &all)
        for label in labels {
            var created = false
            byName[label.name, default: [:]][label.value, default: { created = true; return [] }()]
                .withSortedInsert(ref)
            if created { pairChanged(label.name, by: 1) }
        }
    }

    /// `labels` with each long name and value replaced by the equal string the index already
    /// holds, so that series share one copy: a million series of `node_cpu_seconds_total` would
    /// otherwise each keep their own, as decoded from their request. Strings of up to 15 UTF-8
    /// bytes are stored inline and left alone; `labels` comes back as is when nothing is shared.
    func sharingStrings(_ labels: Labels) -> Labels {
        var shared: [Label]?
        for index in labels.indices {
            let label = labels[index]
            let longName = label.name.utf8.count > StringSharing.inlineLimit
            let longValue = label.value.utf8.count > StringSharing.inlineLimit
            guard longName || longValue, let nameIndex = byName.index(forKey: label.name) else { continue }
            var value = label.value
            if longValue, let valueIndex = byName[nameIndex].value.index(forKey: value) {
                value = byName[nameIndex].value[valueIndex].key
            }
            if shared == nil { shared = Array(labels) }
            shared?[index] = Label(name: byName[nameIndex].key, value: value)
        }
        return shared.map { Labels(canonicalizing: $0) } ?? labels
    }

    mutating func remove(_ refs: Set<SeriesRef>, labelsOf series: [SeriesRef: Labels]) {
        guard !refs.isEmpty else { return }
        all.removeAll { refs.contains($0) }
        for (ref, labels) in series where refs.contains(ref) {
            for label in labels {
                guard var values = byName[label.name], var list = values[label.value] else { continue }
                values[label.value] = nil  // keep `list` uniquely referenced while editing
                list.removeAll { $0 == ref }
                if list.isEmpty {
                    pairChanged(label.name, by: -1)
                } else {
                    values[label.value] = list
                }
                byName[label.name] = values.isEmpty ? nil : values
            }
        }
    }

    /// A value of `name` appeared (`delta` 1) or went away (-1).
    private mutating func pairChanged(_ name: String, by delta: Int) {
        pairCount += delta
        pairChanges &+= 1
        if !sortedValues.isEmpty { sortedValues[name] = nil }
    }

    static func insert(_ ref: SeriesRef, into list: inout [SeriesRef]) {
        list.withSortedInsert(ref)
    }
}

extension Array where Element == SeriesRef {
    /// Inserts keeping ascending order; refs are assigned increasingly, so this is nearly always an append.
    mutating func withSortedInsert(_ ref: SeriesRef) {
        if let last, last >= ref {
            var low = 0
            var high = count
            while low < high {
                let mid = (low + high) / 2
                if self[mid] < ref { low = mid + 1 } else { high = mid }
            }
            if low < count && self[low] == ref { return }
            insert(ref, at: low)
        } else {
            append(ref)
        }
    }
}

/// Sorted-list set operations on postings.
enum Postings {
    static func intersect(_ lhs: [SeriesRef], _ rhs: [SeriesRef]) -> [SeriesRef] {
        var result: [SeriesRef] = []
        result.reserveCapacity(Swift.min(lhs.count, rhs.count))
        var i = 0
        var j = 0
        while i < lhs.count && j < rhs.count {
            let a = lhs[i]
            let b = rhs[j]
            if a == b {
                result.append(a)
                i += 1
                j += 1
            } else if a < b {
                i += 1
            } else {
                j += 1
            }
        }
        return result
    }

    static func subtract(_ lhs: [SeriesRef], _ rhs: [SeriesRef]) -> [SeriesRef] {
        guard !rhs.isEmpty else { return lhs }
        var result: [SeriesRef] = []
        result.reserveCapacity(lhs.count)
        var j = 0
        for ref in lhs {
            while j < rhs.count && rhs[j] < ref { j += 1 }
            if j < rhs.count && rhs[j] == ref { continue }
            result.append(ref)
        }
        return result
    }

    static func union(_ lists: [[SeriesRef]]) -> [SeriesRef] {
        if lists.count == 1 { return lists[0] }
        var result = lists.flatMap { $0 }
        result.sort()
        var write = 0
        for read in result.indices where write == 0 || result[read] != result[write - 1] {
            result[write] = result[read]
            write += 1
        }
        result.removeLast(result.count - write)
        return result
    }
}

extension MemPostings {
    /// Resolves matchers to sorted refs the way Prometheus's `PostingsForMatchers` does: matchers
    /// that cannot match "" are intersected; matchers that match "" subtract the series whose value
    /// they reject; the base is every series when nothing is intersected; no matchers select nothing.
    static func resolve(
        _ matchers: [LabelMatcher], snapshot: (String) -> [String: [SeriesRef]], sorted: (String) -> [String]? = { _ in nil },
        all: () -> [SeriesRef]
    ) -> [SeriesRef] {
        guard !matchers.isEmpty else { return [] }
        var intersecting: [[SeriesRef]] = []
        var subtracting: [[SeriesRef]] = []
        var hasIntersecting = false
        for matcher in matchers {
            if matcher.type == .regexMatch && matcher.value == ".*" { continue }
            if matcher.type == .regexNoMatch && matcher.value == ".*" { return [] }
            let values = snapshot(matcher.name)
            if matcher.matchesEmpty {
                // Series carrying a value the matcher rejects.
                var lists: [[SeriesRef]] = []
                let negative = matcher.type == .notEqual || matcher.type == .regexNoMatch
                if negative, let rejected = matcher.inverse.setMatches {
                    for value in rejected { if let list = values[value] { lists.append(list) } }
                } else {
                    // By index, so lists whose value does not qualify are never retained.
                    for index in values.indices where !matcher.matches(values.keys[index]) {
                        lists.append(values.values[index])
                    }
                }
                if !lists.isEmpty { subtracting.append(Postings.union(lists)) }
            } else {
                hasIntersecting = true
                var lists: [[SeriesRef]] = []
                if let set = matcher.setMatches {
                    for value in set { if let list = values[value] { lists.append(list) } }
                } else if let prefix = matcher.literalPrefix, let sortedValues = sorted(matcher.name) {
                    // The values with the prefix form one run of the sorted list.
                    var low = 0
                    var high = sortedValues.count
                    while low < high {
                        let mid = (low + high) / 2
                        if ByteOrder.less(sortedValues[mid], prefix) { low = mid + 1 } else { high = mid }
                    }
                    while low < sortedValues.count && ByteOrder.hasPrefix(sortedValues[low], prefix) {
                        if let list = values[sortedValues[low]] { lists.append(list) }
                        low += 1
                    }
                } else {
                    for index in values.indices where matcher.matches(values.keys[index]) {
                        lists.append(values.values[index])
                    }
                }
                if lists.isEmpty { return [] }
                intersecting.append(Postings.union(lists))
            }
        }
        var result: [SeriesRef]
        if hasIntersecting {
            intersecting.sort { $0.count < $1.count }
            result = intersecting[0]
            for list in intersecting.dropFirst() {
                if result.isEmpty { return [] }
                result = Postings.intersect(result, list)
            }
        } else {
            result = all()
        }
        for list in subtracting {
            if result.isEmpty { break }
            result = Postings.subtract(result, list)
        }
        return result
    }
}

/// Sharing equal label strings between series (``MemPostings/sharingStrings(_:)``, snapshot loads).
enum StringSharing {
    /// The longest string Swift stores inline (no allocation to share) on 64-bit platforms.
    static let inlineLimit = 15

    /// `string`, or the equal string already in `pool` (added when new) if it is long enough to
    /// live on the heap.
    static func shared(_ string: String, in pool: inout Set<String>) -> String {
        guard string.utf8.count > inlineLimit else { return string }
        return pool.insert(string).memberAfterInsert
    }
}
