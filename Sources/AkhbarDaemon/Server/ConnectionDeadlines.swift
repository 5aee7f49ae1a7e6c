import AkhbarProtocol
import NIOCore

/// How long a connection may keep the daemon waiting before it is closed.
struct ConnectionTimeouts: Sendable {
    /// From the first byte of a message to its terminator. Clients on the local socket send a
    /// message in one write; five seconds covers one paused by a loaded machine, and an unterminated
    /// message cannot hold its descriptor for longer.
    var unterminated: TimeAmount = .seconds(5)
    /// Between calls, after the last reply: scripts that keep a connection for a session of queries
    /// fit in ten minutes, and connections left open and forgotten give their descriptor back.
    /// A call being answered, a `Subscribe` or `Export` stream included, is never idle.
    var idle: TimeAmount = .minutes(10)
}

/// Closes a connection whose message stays unterminated, or that stays idle between calls, for
/// longer than its ``ConnectionTimeouts``. It sits after the ``VarlinkFrameDecoder``, which tells
/// it when part of a message is waiting; the connection's server tells it when a call has ended
/// with ``CallEnded``, sent as a user outbound event.
final class ConnectionDeadlines: ChannelDuplexHandler {
    typealias InboundIn = VarlinkFrameDecoder.Frame
    typealias InboundOut = VarlinkFrameDecoder.Frame
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A call has been answered in full (or needed no answer).
    struct CallEnded: Sendable {}

    private enum Wait: Equatable {
        case unterminated, idle
    }

    private let timeouts: ConnectionTimeouts
    /// Calls received whose answer has not ended yet.
    private var running = 0
    private var pending = false
    private var waiting: Wait?
    private var timer: Scheduled<Void>?

    init(timeouts: ConnectionTimeouts) {
        self.timeouts = timeouts
    }

    func handlerAdded(context: ChannelHandlerContext) {
        update(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        running += 1
        context.fireChannelRead(data)
        update(context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let event = event as? VarlinkFrameDecoder.Pending else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        pending = event.pending
        update(context: context)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard event is CallEnded else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        running = max(running - 1, 0)
        update(context: context)
        promise?.succeed()
    }

    /// Starts the clock that applies now, unless it is already running: an unterminated message is
    /// timed from its first byte, not from its latest.
    private func update(context: ChannelHandlerContext) {
        let wanted: Wait? = pending ? .unterminated : running == 0 ? .idle : nil
        guard wanted != waiting else { return }
        timer?.cancel()
        timer = nil
        waiting = wanted
        guard let wanted, context.channel.isActive else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        switch wanted {
        case .unterminated:
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeouts.unterminated) {
                let context = loopBound.value
                let error = VarlinkError.invalidMessage(
                    "the message was not terminated within \(Self.describe(self.timeouts.unterminated))")
                context.writeAndFlush(NIOAny(VarlinkConnectionHandler.frame(VarlinkConnectionHandler.encode(error))))
                    .assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            }
        case .idle:
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeouts.idle) {
                loopBound.value.close(promise: nil)
            }
        }
    }

    private static func describe(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}
