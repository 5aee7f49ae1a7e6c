/// Something the ingest pipeline must look at, as reported by the watcher or a reconcile. Paths
/// are in text form (see ``EscapedPath``).
enum DropEvent: Sendable, Hashable {
    /// The file at this path may be new, changed, renamed in or gone: look at it.
    case file(String)
    /// This folder and everything under it left the drop folder.
    case tree(String)
    /// The file's permissions or owner changed (`IN_ATTRIB`): a file that could not be read is
    /// tried again at once; any other is left alone, since a chmod can come before the writing.
    case attributes(String)

    var path: String {
        switch self {
        case .file(let path), .tree(let path), .attributes(let path): path
        }
    }
}
