/// Something the ingest pipeline must look at, as reported by the watcher or a reconcile.
enum DropEvent: Sendable, Hashable {
    /// The file at this path may be new, changed, renamed in or gone: look at it.
    case file(String)
    /// This folder and everything under it left the drop folder.
    case tree(String)
}
