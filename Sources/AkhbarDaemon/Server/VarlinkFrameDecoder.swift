import AkhbarProtocol
import NIOCore

/// Splits the byte stream of a connection into NUL-terminated Varlink messages.
///
/// Each byte is looked at once: a message arriving in many small chunks is scanned from where the
/// previous chunk's scan stopped, not from its start again.
struct VarlinkFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = Frame

    enum Frame: Sendable, Equatable {
        case message(ByteBuffer)
        /// The peer sent more than ``VarlinkFraming/maxMessageSize`` bytes without a terminator.
        case oversized
    }

    /// Sent down the pipeline (as a user inbound event) when a message begins to arrive and when
    /// no part of a message is left waiting, so that a later handler can time unterminated ones.
    struct Pending: Sendable, Equatable {
        var pending: Bool
    }

    private var refused = false
    /// How many bytes after the reader index are known to hold no terminator.
    private var scanned = 0
    private var pending = false

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if refused {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        let bytes = buffer.readableBytesView
        if let end = bytes[(bytes.startIndex + scanned)...].firstIndex(of: VarlinkFraming.terminator) {
            let message = buffer.readSlice(length: end - bytes.startIndex)!
            buffer.moveReaderIndex(forwardBy: 1)
            scanned = 0
            context.fireChannelRead(Self.wrapInboundOut(.message(message)))
            report(pending: buffer.readableBytes > 0, context: context)
            return .continue
        }
        scanned = bytes.count
        if buffer.readableBytes > VarlinkFraming.maxMessageSize {
            refused = true
            buffer.moveReaderIndex(to: buffer.writerIndex)
            context.fireChannelRead(Self.wrapInboundOut(.oversized))
            report(pending: false, context: context)
            return .needMoreData
        }
        report(pending: buffer.readableBytes > 0, context: context)
        return .needMoreData
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        // An unterminated message at EOF is incomplete; there is nobody left to answer.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }

    private mutating func report(pending: Bool, context: ChannelHandlerContext) {
        guard pending != self.pending else { return }
        self.pending = pending
        context.fireUserInboundEventTriggered(Pending(pending: pending))
    }
}
