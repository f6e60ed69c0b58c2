extension String {
    /// The string without leading and trailing whitespace (spaces, tabs, newlines), as Python's `str.strip()`.
    public func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let first = s.first, first.isWhitespace { s = s.dropFirst() }
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
