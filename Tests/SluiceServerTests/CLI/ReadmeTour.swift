import Foundation
import Testing

/// The README's "A five-minute tour", read from the package's README.md: its `sh` code blocks, each split into the
/// commands a user pastes (continuation lines and here-documents kept with their command).
struct ReadmeTour {
    /// One `sh` block's commands, in order.
    typealias Block = [String]

    let blocks: [Block]

    /// The package's README.md, found from this source file's path.
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")

    /// Reads the tour section (from its heading to the next `## ` heading) of `readme`.
    init(readme: URL = Self.readme) throws {
        let text = try String(contentsOf: readme, encoding: .utf8)
        let start = try #require(text.range(of: "\n## A five-minute tour\n"), "README.md has no tour section")
        let rest = text[start.upperBound...]
        let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
        blocks = section.components(separatedBy: "```sh\n").dropFirst().map { chunk in
            Self.commands(chunk.components(separatedBy: "\n```")[0])
        }
    }

    /// The block the demo's printed lines appear in: the one that sets `SLUICE_DATABASE_URL`.
    var pastedBlock: Block? { blocks.first { $0.first?.hasPrefix("export SLUICE_DATABASE_URL=") == true } }

    /// The blocks of commands to run, in order.
    var commandBlocks: [Block] { blocks.filter { $0.first?.hasPrefix("export SLUICE_DATABASE_URL=") != true } }

    /// The commands of a block: blank and comment lines dropped, a line ending in `\` joined with the next, a
    /// here-document (`<<EOF`) kept up to its end line.
    static func commands(_ block: String) -> [String] {
        var commands: [String] = []
        var current: [String] = []
        var hereDocumentEnd: String?
        for line in block.components(separatedBy: "\n") {
            if current.isEmpty && (line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#")) {
                continue
            }
            current.append(line)
            if let end = hereDocumentEnd {
                guard line == end else { continue }
                hereDocumentEnd = nil
            } else if let marker = line.range(of: #"<<-?'?([A-Z]+)'?"#, options: .regularExpression) {
                hereDocumentEnd = line[marker].trimmingCharacters(in: CharacterSet(charactersIn: "<-'"))
                continue
            } else if line.hasSuffix("\\") {
                continue
            }
            commands.append(current.joined(separator: "\n"))
            current = []
        }
        if !current.isEmpty { commands.append(current.joined(separator: "\n")) }
        return commands
    }

    /// The names of the shell variables `lines` set (`export NAME=…` or `NAME=…`), in order.
    static func variables(_ lines: [String]) -> [String] {
        lines.compactMap { line in
            line.range(of: #"^(export )?[A-Z_]+="#, options: .regularExpression).map {
                String(line[$0].dropFirst(line.hasPrefix("export ") ? 7 : 0).dropLast())
            }
        }
    }

    /// A placeholder assignment of the tour, such as `RUN=…  # …`: its variable's name; nil for any other command.
    static func placeholder(_ command: String) -> String? {
        guard let match = command.range(of: #"^[A-Z_]+=…(\s|$)"#, options: .regularExpression) else { return nil }
        return String(command[match].prefix { $0 != "=" })
    }

    /// The indented shell lines `sluice demo` printed after "paste these lines", without their indentation.
    static func pastedLines(in printed: String) -> [String] {
        guard let intro = printed.range(of: "paste these lines") else { return [] }
        let lines = printed[intro.upperBound...].components(separatedBy: "\n").drop { !$0.hasPrefix("    ") }
        return lines.prefix { $0.hasPrefix("    ") }.map { String($0.dropFirst(4)) }
    }
}
