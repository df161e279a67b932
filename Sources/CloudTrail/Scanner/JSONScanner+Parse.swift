extension JSONScanner {
    /// Parses one complete JSON text (RFC 8259: optional whitespace, one value, optional whitespace) and
    /// calls `body` with its root value.
    ///
    /// The value borrows `bytes` and this scanner's tape: use it only inside `body`.
    /// - Throws: ``JSONError`` for invalid input (with its byte offset, line and column), or what `body` throws.
    public func parse<R>(_ bytes: UnsafeRawBufferPointer, _ body: (JSONValue) throws -> R) throws -> R {
        guard let raw = bytes.baseAddress, bytes.count > 0 else {
            throw JSONError(.empty, "no JSON value: the input is empty", byteOffset: 0, line: 1, column: 1)
        }
        let base = raw.assumingMemoryBound(to: UInt8.self)
        let end = bytes.count
        switch scanValue(base, from: 0, to: end, isFinal: true) {
        case .needMore:
            // Unreachable with isFinal, kept total.
            throw makeError(ScanFailure(code: .unexpectedEnd, message: "unexpected end of input", offset: end),
                            base, 0)
        case .failed(let failure):
            throw makeError(failure, base, 0)
        case .complete(let valueEnd):
            var p = valueEnd
            while p < end {
                let c = base[p]
                guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else {
                    throw makeError(ScanFailure(code: .trailingData,
                                                message: "unexpected \(describeByte(c)) after the JSON value",
                                                offset: p), base, 0)
                }
                p += 1
            }
            return try body(JSONValue(base: base, tape: tape, index: 0))
        }
    }

    /// ``parse(_:_:)`` over an array of bytes.
    public func parse<R>(_ bytes: [UInt8], _ body: (JSONValue) throws -> R) throws -> R {
        try bytes.withUnsafeBytes { try parse($0, body) }
    }

    /// ``parse(_:_:)`` over the UTF-8 of a string.
    public func parse<R>(_ text: String, _ body: (JSONValue) throws -> R) throws -> R {
        var text = text
        return try text.withUTF8 { try parse(UnsafeRawBufferPointer($0), body) }
    }

    /// Validates one complete JSON text.
    /// - Throws: ``JSONError``.
    public func validate(_ bytes: UnsafeRawBufferPointer) throws(JSONError) {
        do {
            try parse(bytes) { _ in }
        } catch let error as JSONError {
            throw error
        } catch {
            // `parse` only throws JSONError when the body does not throw.
            throw JSONError(.unexpectedByte, "\(error)", byteOffset: 0, line: 1, column: 1)
        }
    }

    /// Builds the public error: line and column are counted from `documentStart` (line `baseLine`).
    func makeError(_ failure: ScanFailure, _ base: UnsafePointer<UInt8>, _ documentStart: Int,
                   baseLine: Int = 1, baseOffset: Int = 0) -> JSONError {
        let (line, column) = lineAndColumn(base, from: documentStart, to: failure.offset, baseLine: baseLine)
        return JSONError(failure.code, failure.message, byteOffset: baseOffset + failure.offset, line: line,
                         column: column)
    }
}

/// Line and column (1-based, column in bytes) of `offset`, counting newlines from `start` (which is on
/// line `baseLine`, column 1). Only used on error paths.
func lineAndColumn(_ base: UnsafePointer<UInt8>, from start: Int, to offset: Int,
                   baseLine: Int) -> (line: Int, column: Int) {
    var line = baseLine
    var lineStart = start
    var i = start
    while i < offset {
        if base[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        i += 1
    }
    return (line, offset - lineStart + 1)
}
