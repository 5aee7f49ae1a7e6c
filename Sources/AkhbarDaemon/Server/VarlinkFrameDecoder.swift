import AkhbarProtocol
import NIOCore

/// Splits the byte stream of a connection into NUL-terminated Varlink messages.
struct VarlinkFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = Frame

    enum Frame: Sendable {
        case message(ByteBuffer)
        /// The peer sent more than ``VarlinkFraming/maxMessageSize`` bytes without a terminator.
        case oversized
    }

    private var refused = false

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if refused {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        if let end = buffer.readableBytesView.firstIndex(of: VarlinkFraming.terminator) {
            let length = end - buffer.readerIndex
            let message = buffer.readSlice(length: length)!
            buffer.moveReaderIndex(forwardBy: 1)
            context.fireChannelRead(Self.wrapInboundOut(.message(message)))
            return .continue
        }
        if buffer.readableBytes > VarlinkFraming.maxMessageSize {
            refused = true
            buffer.moveReaderIndex(to: buffer.writerIndex)
            context.fireChannelRead(Self.wrapInboundOut(.oversized))
        }
        return .needMoreData
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // An unterminated message at EOF is incomplete; there is nobody left to answer.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}
