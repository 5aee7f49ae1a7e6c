import Foundation

/// Dunning's log-likelihood ratio, G², for a term found in `k1` of `n1` articles of one set and in
/// `k2` of `n2` of another: how unlikely it is that both sets use the term as often, the rate of
/// each set aside. Unlike a ratio of rates it does not make a term seen twice look as telling as
/// one seen a thousand times, and unlike chi-squared it holds for rare terms (Dunning, "Accurate
/// Methods for the Statistics of Surprise and Coincidence", 1993).
enum LogLikelihood {
    /// G² of the 2×2 table; 0 when either set is empty.
    static func score(_ k1: Double, of n1: Double, against k2: Double, of n2: Double) -> Double {
        guard n1 > 0, n2 > 0 else { return 0 }
        let total = n1 + n2
        let with = k1 + k2
        let without = total - with
        func cell(_ observed: Double, _ row: Double, _ column: Double) -> Double {
            guard observed > 0 else { return 0 }
            return observed * log(observed * total / (row * column))
        }
        let sum =
            cell(k1, n1, with) + cell(n1 - k1, n1, without) + cell(k2, n2, with) + cell(n2 - k2, n2, without)
        return max(0, 2 * sum)
    }

    /// The score of a term over-represented in the first set; 0 for one that is not.
    static func overRepresentation(_ k1: Double, of n1: Double, against k2: Double, of n2: Double) -> Double {
        guard n1 > 0, n2 > 0, k1 / n1 > k2 / n2 else { return 0 }
        return score(k1, of: n1, against: k2, of: n2)
    }
}
