/// "Did you mean 'explain'?": the nearest name to a mistyped word, as git and kubectl suggest
/// subcommands (https://github.com/spf13/cobra/blob/main/command.go, `SuggestionsFor`).
package enum Suggestion {
  /// The candidate at the smallest edit distance (an adjacent swap counts as one edit), when that
  /// distance is at most 2 and less than half the word; nil otherwise.
  package static func nearest(to word: String, among candidates: [String]) -> String? {
    let w = Array(word.lowercased())
    guard w.count >= 3, w.count <= 64 else { return nil }
    var best: (name: String, distance: Int)?
    for c in candidates {
      let d = distance(w, Array(c.lowercased()))
      if d <= 2, d * 2 < w.count, d < (best?.distance ?? Int.max) { best = (c, d) }
    }
    return best?.name
  }

  /// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
  static func distance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
      }
    }
    return d[a.count][b.count]
  }
}
