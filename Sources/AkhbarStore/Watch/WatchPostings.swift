/// For each term or prefix number, the watch slots that require it, laid out in two flat arrays.
///
/// An article marks the lists of a few hundred numbers; with one array per number each list was a
/// heap object of its own, and reaching it missed the cache more often than marking its slots.
/// Rebuilt from the lists as watches change (``WatchIndex`` does it once per change, when a
/// snapshot is next taken): thousands of watches take a fraction of a millisecond.
struct WatchPostings: Sendable {
    /// Where each number's slots start in `values`; one more entry than numbers.
    private var starts: [Int32] = [0]
    /// Slot × 4 + which of the watch's two requirements the number satisfies (1, 2 or 3 for both).
    private var values: [Int32] = []

    init() {}

    init(_ lists: [[Int32]]) {
        starts.reserveCapacity(lists.count + 1)
        values.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        for list in lists {
            values += list
            starts.append(Int32(values.count))
        }
    }

    /// Sets, for every slot listed under one of `numbers`, its bit in `first` and `second` for the
    /// requirements it meets (bit `slot % 64` of word `slot / 64`).
    func mark(_ numbers: [Int32], first: inout [UInt64], second: inout [UInt64]) {
        let count = starts.count - 1
        starts.withUnsafeBufferPointer { starts in
            values.withUnsafeBufferPointer { values in
                first.withUnsafeMutableBufferPointer { first in
                    second.withUnsafeMutableBufferPointer { second in
                        for number in numbers where number >= 0 && Int(number) < count {
                            for index in Int(starts[Int(number)])..<Int(starts[Int(number) + 1]) {
                                let value = values[index]
                                let slot = Int(value >> 2)
                                let bit: UInt64 = 1 << UInt64(slot & 63)
                                if value & 1 != 0 { first[slot >> 6] |= bit }
                                if value & 2 != 0 { second[slot >> 6] |= bit }
                            }
                        }
                    }
                }
            }
        }
    }
}
