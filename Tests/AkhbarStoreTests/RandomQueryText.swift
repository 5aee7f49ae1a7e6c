/// Reproducible random query text: short runs of tokens, glued or spaced, from a fixed seed.
struct RandomQueryText {
    let tokens: [String]
    private var state: UInt64

    init(tokens: [String], seed: UInt64) {
        self.tokens = tokens
        state = seed
    }

    /// A number below `bound` (a 64-bit LCG: no dependency, the same sequence everywhere).
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }

    /// One to `maximumTokens` tokens, joined without spaces about one time in `gluedOneIn`.
    mutating func text(maximumTokens: Int, gluedOneIn: Int) -> String {
        let count = 1 + next(maximumTokens)
        return (0..<count).map { _ in tokens[next(tokens.count)] }.joined(separator: next(gluedOneIn) == 0 ? "" : " ")
    }
}
