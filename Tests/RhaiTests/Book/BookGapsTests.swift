import Foundation
import Testing

/// The gaps stay visible: each one is explained in GAPS.md and shown by at least one case.
@Suite struct BookGapsTests {
    static let gapsFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("GAPS.md")

    @Test func everyGapIsListedInGapsFileAndUsed() throws {
        let text = try String(contentsOf: Self.gapsFile, encoding: .utf8)
        let used = Set(BookChapters.all.flatMap { $0.cases.compactMap(\.gap) }).union(BookStandardLibraryTests.gaps.values)
            .union(BookStandardLibraryExamplesTests.gaps.values)
        for gap in BookGap.allCases {
            #expect(text.contains("`\(gap)`"), "GAPS.md does not explain `\(gap)`")
            #expect(used.contains(gap), "no case shows the gap `\(gap)`")
        }
    }

    @Test func theSuiteIsBroad() {
        let total = BookChapters.all.reduce(0) { $0 + $1.cases.count }
        #expect(total >= 600, "\(total) cases")
    }
}
