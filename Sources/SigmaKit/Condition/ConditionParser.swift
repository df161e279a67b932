/// Parser for the `condition` of a detection (CND-01 .. CND-10).
///
/// Grammar (pySigma's), from least to most binding: `or` < `and` < `not` < `x of` < parentheses, binary
/// operators left-associative:
///
/// ```
/// expr      := and_expr ("or" and_expr)*
/// and_expr  := not_expr ("and" not_expr)*
/// not_expr  := "not" not_expr | atom
/// atom      := "(" expr ")" | ("1" | "any" | "all") "of" PATTERN | IDENT
/// IDENT     := [A-Za-z0-9_-]+
/// PATTERN   := [A-Za-z0-9_*]+ | "them"
/// ```
///
/// Keywords are lower-case only (`AND` is an error, CND-02). A `|` (the removed aggregation syntax) and `near`
/// are rejected with a pointer to correlation rules (CND-08).
///
/// The parser is iterative (operator precedence with explicit stacks), so hostile input cannot overflow the
/// call stack; nesting (parentheses and `not`) is still capped at ``maxNestingDepth`` so that every consumer
/// of the resulting tree can recurse safely.
public enum ConditionParser {
    /// The deepest nesting of parentheses and `not` accepted in a condition.
    public static let maxNestingDepth = 200

    /// Parses a condition string (CND-01/02/08/10).
    ///
    /// - Parameters:
    ///   - text: The condition as written (whitespace and newlines are insignificant).
    ///   - location: Where the first character of `text` is in the rule file. Errors point at the offending
    ///     token by offsetting this position (columns count Unicode scalars, lines count `\n`).
    /// - Returns: The expression, with selectors (`1 of sel*`) kept as ``ConditionExpression/selector(_:pattern:)``;
    ///   call ``ConditionExpression/resolved(identifiers:at:)`` to expand them.
    /// - Throws: ``RuleError`` `.invalidCondition` for syntax errors, `.resourceLimit` for nesting deeper than
    ///   ``maxNestingDepth``.
    /// - Complexity: O(n) in the length of `text`.
    public static func parse(_ text: String, at location: SourceLocation) throws(RuleError) -> ConditionExpression {
        let tokens = try ConditionTokenizer.tokenize(text, at: location)
        var parser = ConditionShuntingYard(tokens: tokens, location: location)
        return try parser.parse()
    }
}

// MARK: - Tokens

/// One token of a condition with its position (0-based line and column inside the condition text).
struct ConditionToken {
    enum Kind: Equatable {
        case openParen, closeParen
        case word(String)
    }

    var kind: Kind
    var line: Int
    var column: Int

    /// The token as written, for messages.
    var text: String {
        switch kind {
        case .openParen: return "("
        case .closeParen: return ")"
        case .word(let word): return word
        }
    }

    /// The token as quoted in messages (cut when very long).
    var shown: String { text.forMessage }

    var word: String? {
        if case .word(let word) = kind { return word }
        return nil
    }

    /// The rule-file position of the token, given where the condition text starts.
    func location(from start: SourceLocation) -> SourceLocation {
        // Lines after the first keep the first line's indentation (block scalars), so the same base column applies.
        SourceLocation(path: start.path, line: start.line + line, column: start.column + column)
    }
}

enum ConditionTokenizer {
    /// Splits a condition into parentheses and words (`[A-Za-z0-9_*-]+`); anything else is an error.
    static func tokenize(_ text: String, at start: SourceLocation) throws(RuleError) -> [ConditionToken] {
        var tokens: [ConditionToken] = []
        var line = 0
        var column = 0
        var word = String.UnicodeScalarView()
        var wordLine = 0
        var wordColumn = 0

        func flushWord() {
            if !word.isEmpty {
                tokens.append(ConditionToken(kind: .word(String(word)), line: wordLine, column: wordColumn))
                word = String.UnicodeScalarView()
            }
        }

        for scalar in text.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "*", "-":
                if word.isEmpty {
                    wordLine = line
                    wordColumn = column
                }
                word.append(scalar)
            case " ", "\t", "\r":
                flushWord()
            case "\n":
                flushWord()
                line += 1
                column = 0
                continue
            case "(":
                flushWord()
                tokens.append(ConditionToken(kind: .openParen, line: line, column: column))
            case ")":
                flushWord()
                tokens.append(ConditionToken(kind: .closeParen, line: line, column: column))
            case "|":
                let here = ConditionToken(kind: .word("|"), line: line, column: column).location(from: start)
                throw RuleError(
                    .invalidCondition,
                    "condition: '|' at column \(here.column) is the aggregation syntax ('sel | count() > 5'), which "
                        + "Sigma removed: express aggregations as a correlation rule",
                    at: here)
            default:
                let here = ConditionToken(kind: .word(""), line: line, column: column).location(from: start)
                let shown =
                    scalar.properties.generalCategory == .control
                    ? "U+" + String(scalar.value, radix: 16, uppercase: true) : "'\(Character(scalar))'"
                throw RuleError(
                    .invalidCondition,
                    "condition: unexpected character \(shown) at column \(here.column); identifiers may only "
                        + "contain letters, digits, '_' and '-'",
                    at: here)
            }
            column += 1
        }
        flushWord()
        return tokens
    }
}

// MARK: - Parser

/// Operator-precedence parser over condition tokens, with explicit stacks (no recursion).
struct ConditionShuntingYard {
    private enum Operator {
        case openParen(ConditionToken)
        case not
        case and
        case or
    }

    private enum Junction { case and, or }

    /// An operand on the output stack. A left-associative chain (`a and b and c`) is kept open as an array so
    /// that appending stays O(1) (mutated in place on the stack); it is closed by parentheses or when it becomes
    /// the child of another node.
    private struct Operand {
        /// The open chain's junction, or nil for a single closed expression (then `parts` has one element).
        var junction: Junction?
        var parts: [ConditionExpression]

        init(_ expression: ConditionExpression) {
            junction = nil
            parts = [expression]
        }

        var expression: ConditionExpression {
            switch junction {
            case nil: return parts[0]
            case .and: return .and(parts)
            case .or: return .or(parts)
            }
        }
    }

    private let tokens: [ConditionToken]
    private let start: SourceLocation
    private var operands: [Operand] = []
    private var operators: [Operator] = []
    /// Parentheses and `not`s currently open on the operator stack.
    private var depth = 0

    init(tokens: [ConditionToken], location: SourceLocation) {
        self.tokens = tokens
        self.start = location
    }

    private static let keywords: Set<String> = ["and", "or", "not", "of", "them", "any", "all"]

    mutating func parse() throws(RuleError) -> ConditionExpression {
        guard !tokens.isEmpty else {
            throw RuleError(.invalidCondition, "condition is empty", at: start)
        }
        var expectOperand = true
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if expectOperand {
                switch token.kind {
                case .openParen:
                    try push(.openParen(token), at: token)
                case .closeParen:
                    if index > 0, tokens[index - 1].kind == .openParen {
                        throw error("empty parentheses '()'", at: token)
                    }
                    throw error("expected an identifier or '(' before ')'", at: token)
                case .word(let word):
                    if word == "not" {
                        try push(.not, at: token)
                    } else if word == "and" || word == "or" {
                        throw error("'\(word)' needs an operand on its left\(afterPrevious(index))", at: token)
                    } else if word == "of" {
                        throw error("'of' must follow '1', 'any' or 'all'", at: token)
                    } else if index + 1 < tokens.count, tokens[index + 1].word == "of" {
                        operands.append(Operand(try selector(quantifierAt: index)))
                        index += 3
                        expectOperand = false
                        continue
                    } else {
                        try checkIdentifier(word, at: token, next: index + 1 < tokens.count ? tokens[index + 1] : nil)
                        operands.append(Operand(.identifier(word)))
                        expectOperand = false
                    }
                }
            } else {
                switch token.kind {
                case .closeParen:
                    try closeParenthesis(at: token)
                case .word("and"):
                    reduce(while: {
                        if case .not = $0 { return true }
                        if case .and = $0 { return true }
                        return false
                    })
                    operators.append(.and)
                    expectOperand = true
                case .word("or"):
                    reduce(while: {
                        if case .openParen = $0 { return false }
                        return true
                    })
                    operators.append(.or)
                    expectOperand = true
                case .openParen, .word:
                    let previous = tokens[index - 1].shown
                    throw error(
                        "expected 'and', 'or' or ')' after '\(previous)', found '\(token.shown)'"
                            + keywordHint(token.text), at: token)
                }
            }
            index += 1
        }
        if expectOperand {
            let last = tokens[tokens.count - 1]
            throw error("condition ends after '\(last.shown)': an identifier or '(' is missing", at: last)
        }
        reduce(while: {
            if case .openParen = $0 { return false }
            return true
        })
        if let open = operators.last, case .openParen(let token) = open {
            throw error("'(' is never closed", at: token)
        }
        guard operands.count == 1, let result = operands.last else {
            // Unreachable for well-formed stacks; reported rather than trapped.
            throw RuleError(.invalidCondition, "condition could not be parsed", at: start)
        }
        return result.expression
    }

    // MARK: Stack operations

    private mutating func push(_ op: Operator, at token: ConditionToken) throws(RuleError) {
        depth += 1
        if depth > ConditionParser.maxNestingDepth {
            throw RuleError(
                .resourceLimit,
                "condition nests parentheses and 'not' deeper than \(ConditionParser.maxNestingDepth) levels "
                    + "(at '\(token.shown)', column \(token.location(from: start).column))",
                at: token.location(from: start))
        }
        operators.append(op)
    }

    private mutating func closeParenthesis(at token: ConditionToken) throws(RuleError) {
        reduce(while: {
            if case .openParen = $0 { return false }
            return true
        })
        guard let top = operators.last, case .openParen = top else {
            throw error("')' has no matching '('", at: token)
        }
        operators.removeLast()
        depth -= 1
        // Parentheses close any open chain: `(a and b) and c` keeps its grouping.
        if let last = operands.popLast() {
            operands.append(Operand(last.expression))
        }
    }

    /// Pops and applies operators while `condition` holds for the top one.
    private mutating func reduce(while condition: (Operator) -> Bool) {
        while let top = operators.last, condition(top) {
            operators.removeLast()
            apply(top)
        }
    }

    private mutating func apply(_ op: Operator) {
        switch op {
        case .openParen:
            return
        case .not:
            depth -= 1
            guard let operand = operands.popLast() else { return }
            operands.append(Operand(.not(operand.expression)))
        case .and:
            combine(.and)
        case .or:
            combine(.or)
        }
    }

    private mutating func combine(_ junction: Junction) {
        guard operands.count >= 2, let right = operands.popLast() else { return }
        let last = operands.count - 1
        if operands[last].junction == junction {
            // In place, so the array stays uniquely referenced and the append is amortised O(1).
            operands[last].parts.append(right.expression)
        } else {
            let left = operands[last].expression
            operands[last] = Operand(left)
            operands[last].junction = junction
            operands[last].parts.append(right.expression)
        }
    }

    // MARK: Operands

    /// Parses `QUANTIFIER of PATTERN` starting at `index` (the quantifier; `index + 1` is `of`).
    private func selector(quantifierAt index: Int) throws(RuleError) -> ConditionExpression {
        let quantifierToken = tokens[index]
        let quantifierText = quantifierToken.shown
        let quantifier: SelectorQuantifier
        switch quantifierText {
        case "1", "any": quantifier = .one
        case "all": quantifier = .all
        default:
            if quantifierText.allSatisfy(\.isNumber) {
                throw error(
                    "'\(quantifierText) of' is not supported: the quantifier must be '1', 'any' or 'all'",
                    at: quantifierToken)
            }
            if Self.keywords.contains(quantifierText.lowercased()) {
                throw error(
                    "'\(quantifierText)': condition keywords are lower-case, write '\(quantifierText.lowercased())'",
                    at: quantifierToken)
            }
            throw error(
                "'\(quantifierText) of': the quantifier must be '1', 'any' or 'all'", at: quantifierToken)
        }
        let ofToken = tokens[index + 1]
        guard index + 2 < tokens.count, let pattern = tokens[index + 2].word else {
            throw error("'\(quantifierText) of' must be followed by a pattern or 'them'", at: ofToken)
        }
        let patternToken = tokens[index + 2]
        if ["and", "or", "not", "of"].contains(pattern) {
            throw error(
                "'\(quantifierText) of' must be followed by a pattern or 'them', found '\(pattern.forMessage)'",
                at: patternToken)
        }
        if pattern != "them" {
            if pattern.contains("-") {
                throw error(
                    "selector pattern '\(pattern.forMessage)' may not contain '-' "
                        + "(patterns allow letters, digits, '_' and '*')",
                    at: patternToken)
            }
        }
        return .selector(quantifier, pattern: pattern)
    }

    private func checkIdentifier(_ word: String, at token: ConditionToken, next: ConditionToken?) throws(RuleError) {
        if word == "near" {
            throw error(
                "'near' is not supported (it belonged to the removed aggregation syntax); use a "
                    + "temporal correlation rule", at: token)
        }
        if word == "them" {
            throw error("'them' can only follow '1 of', 'any of' or 'all of'", at: token)
        }
        if word.contains("*") {
            throw error("'\(word.forMessage)': wildcards are only allowed in '1 of' / 'all of' patterns", at: token)
        }
        let lower = word.lowercased()
        if lower != word, Self.keywords.contains(lower) || lower == "near" {
            throw error("'\(word.forMessage)': condition keywords are lower-case, write '\(lower)'", at: token)
        }
    }

    // MARK: Errors

    private func error(_ message: String, at token: ConditionToken) -> RuleError {
        let here = token.location(from: start)
        let place = token.line == 0 ? "column \(here.column)" : "line \(here.line), column \(here.column)"
        return RuleError(.invalidCondition, "condition: \(message) (at \(place))", at: here)
    }

    private func afterPrevious(_ index: Int) -> String {
        index > 0 ? " (it follows '\(tokens[index - 1].shown)')" : ""
    }

    private func keywordHint(_ text: String) -> String {
        let lower = text.lowercased()
        if lower != text, Self.keywords.contains(lower) {
            return "; condition keywords are lower-case, write '\(lower)'"
        }
        return ""
    }
}
