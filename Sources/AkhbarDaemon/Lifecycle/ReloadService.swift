import Articles
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP: reads the configuration again and applies it whole or not at all. The new drop folder
/// is watched before any other setting changes, so a folder that cannot be watched, like a bad
/// file, leaves every setting as it was; the settings in effect change only once applied.
struct ReloadService: Service {
    /// Reads the configuration again; throws to keep the current one.
    let load: Daemon.ConfigurationLoader
    /// Applies a new log level to every logger of the process.
    let applyLogLevel: @Sendable (Logger.Level) -> Void
    let drop: DropFolderService
    let parts: DaemonParts

    func run() async {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        for await _ in hangups.cancelOnGracefulShutdown() {
            await reload()
        }
    }

    private func reload() async {
        let ready = parts.readiness.isReady
        if ready { parts.notifier.reloading() }
        let current = parts.settings.configuration
        if let next = wanted(from: current) {
            do {
                if next.dropFolder != current.dropFolder {
                    try drop.watch(next.dropFolder, reason: "the drop folder changed")
                    parts.status.clear(.dropFolder)
                }
                applyLogLevel(next.logLevel)
                parts.pipeline.update(parser: DropFileParser(maxFileSize: next.maxFileSize))
                parts.settings.replace(with: next)
                // Only the refusal of an earlier reload is over; any other problem stays until its
                // own cause goes.
                parts.status.clear(.reload)
                parts.logger.info(
                    "reloaded",
                    metadata: [
                        "drop": "\(next.dropFolder)", "log-level": "\(next.logLevel)",
                        "max-file-size": "\(next.maxFileSize)",
                    ])
            } catch {
                parts.logger.error(
                    "cannot watch the new drop folder \(next.dropFolder), keeping the current configuration: \(error)")
                parts.status.raise(
                    .reload, "cannot watch \(next.dropFolder), keeping the current configuration: \(error)")
            }
        }
        parts.status.update(configuration: parts.settings.configuration)
        let line = await parts.status.statusLine()
        if ready { parts.notifier.ready(status: line) } else { parts.notifier.status(line) }
    }

    /// The configuration a reload asks for: the file re-read, with what can change at run time
    /// taken from it and the rest kept from `current` until the next restart. Nil, with the
    /// problem recorded, when the file is bad or its drop folder cannot be made.
    private func wanted(from current: DaemonConfiguration) -> DaemonConfiguration? {
        let next: DaemonConfiguration
        do {
            next = try load()
            _ = try Daemon.prepare(dropFolder: next.dropFolder)
        } catch {
            parts.logger.error(
                "reload failed, keeping the current configuration: \(error)", metadata: ["reason": "\(error)"])
            parts.status.raise(.reload, "reload failed, keeping the current configuration: \(error)")
            return nil
        }
        var wanted = current
        wanted.logLevel = next.logLevel
        wanted.maxFileSize = next.maxFileSize
        wanted.dropGrace = next.dropGrace
        wanted.dropFolder = URL(fileURLWithPath: next.dropFolder).standardizedFileURL.path
        var ignored: [String] = []
        if URL(fileURLWithPath: next.store).standardizedFileURL.path != current.store { ignored.append("store") }
        if next.socket != current.socket { ignored.append("socket") }
        if !ignored.isEmpty {
            parts.logger.warning(
                "these settings take effect at the next restart",
                metadata: ["settings": "\(ignored.joined(separator: ", "))"])
        }
        return wanted
    }
}
