/// Which names in the drop folder are articles-to-be and which are work in progress.
///
/// Writers that follow the write-then-rename convention use hidden or temporary names until the
/// file is complete, so those are ignored until renamed to a real name.
enum DropNames {
    static func isIgnored(_ name: Substring) -> Bool {
        name.hasPrefix(".") || name.hasSuffix(".tmp") || name.hasSuffix(".part") || name.hasSuffix(".swp")
            || name.hasSuffix("~")
    }
}
