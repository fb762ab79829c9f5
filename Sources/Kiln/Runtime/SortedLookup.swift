extension RandomAccessCollection where Index == Int {
    /// The number of leading elements for which `isBefore` holds, for a collection sorted
    /// so that those elements come first (a binary search).
    func partitionPoint(_ isBefore: (Element) -> Bool) -> Int {
        var low = startIndex, high = endIndex
        while low < high {
            let mid = (low + high) / 2
            if isBefore(self[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
