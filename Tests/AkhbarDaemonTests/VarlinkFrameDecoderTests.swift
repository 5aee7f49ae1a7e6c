import AkhbarProtocol
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import AkhbarDaemon

@Suite("Varlink frame decoder")
struct VarlinkFrameDecoderTests {
    @Test("messages come out whole however the bytes are split (NIO's decoder verifier)")
    func verifier() throws {
        let messages = ["{}", #"{"method":"io.akhbar.Articles.Stats"}"#, String(repeating: "ق", count: 3000)]
        let pairs = messages.map { text -> (ByteBuffer, [VarlinkFrameDecoder.Frame]) in
            var input = ByteBuffer(string: text)
            input.writeInteger(VarlinkFraming.terminator)
            return (input, [.message(ByteBuffer(string: text))])
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { VarlinkFrameDecoder() }
    }

    /// Re-scanning the whole buffer for every chunk made a 1 MiB message sent in 256-byte chunks look
    /// at 2 GiB (well over a minute in a debug build); scanning each byte once, it takes milliseconds.
    @Test("a message of nearly 1 MiB sent in 256-byte chunks is decoded in linear time", .timeLimit(.minutes(1)))
    func slowLargeMessage() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(VarlinkFrameDecoder()))
        let size = VarlinkFraming.maxMessageSize - 256
        let chunk = ByteBuffer(repeating: UInt8(ascii: "a"), count: 256)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<(size / chunk.readableBytes) { try channel.writeInbound(chunk) }
            try channel.writeInbound(ByteBuffer(bytes: [VarlinkFraming.terminator]))
        }
        let frame = try #require(try channel.readInbound(as: VarlinkFrameDecoder.Frame.self))
        guard case .message(let message) = frame else {
            Issue.record("expected a message, got \(frame)")
            return
        }
        #expect(message.readableBytes == size)
        #expect(try channel.readInbound(as: VarlinkFrameDecoder.Frame.self) == nil)
        #expect(elapsed < .seconds(5), "decoding took \(elapsed)")
        _ = try channel.finish()
    }

    @Test("more than 1 MiB without a terminator is refused once, and nothing after it is decoded")
    func oversized() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(VarlinkFrameDecoder()))
        try channel.writeInbound(ByteBuffer(repeating: UInt8(ascii: "a"), count: VarlinkFraming.maxMessageSize + 1))
        #expect(try channel.readInbound(as: VarlinkFrameDecoder.Frame.self) == .oversized)
        try channel.writeInbound(ByteBuffer(bytes: Array("{}".utf8) + [VarlinkFraming.terminator]))
        #expect(try channel.readInbound(as: VarlinkFrameDecoder.Frame.self) == nil)
        _ = try channel.finish()
    }
}
