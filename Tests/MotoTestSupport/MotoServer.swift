import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Shared by the AWS and watch test targets (test targets cannot share files).
///
/// A moto server (a local AWS API, `python3 -m moto.server`) on 127.0.0.1 and a free port, for the tests that talk
/// HTTP. It is killed when its scope ends, and every wait for it is bounded.
// Unchecked: the only state is the immutable port and the Process, whose isRunning/terminate are thread-safe.
public final class MotoServer: @unchecked Sendable {
    /// The server the enclosing `.motoServer` scope started.
    @TaskLocal public static var current: MotoServer?

    /// Whether moto's server mode is installed (`pip install 'moto[server]'`): checked once.
    public static let isInstalled: Bool = {
        guard let status = try? run(["python3", "-c", "import moto.server, flask, flask_cors, werkzeug"]) else {
            return false
        }
        return status == 0
    }()

    /// Why the tests are skipped when it is not installed.
    public static let notInstalledReason: Comment =
        "moto's server is not installed (pip install 'moto[server]'): the tests against a local AWS API are skipped"

    public let port: Int
    private let process: Process

    /// `http://127.0.0.1:PORT`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    /// Starts a server with extra environment variables (e.g. `INITIAL_NO_AUTH_ACTION_COUNT`) and waits up to
    /// 60 s for it to accept connections.
    public static func start(environment: [String: String] = [:]) async throws -> MotoServer {
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", "\(port)"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = MotoServer(port: port, process: process)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw MotoServerError(message: "moto_server exited with status \(process.terminationStatus) at start")
            }
            if canConnect(port: port) { return server }
            try await Task.sleep(for: .milliseconds(100))
        }
        server.stop()
        throw MotoServerError(message: "moto_server did not accept connections on port \(port) within 60 s")
    }

    /// Stops the server: SIGTERM, then SIGKILL after 5 s.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Runs a command to completion (bounded by the command itself: used only for quick `python3 -c` checks).
    private static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A port the kernel picked as free (bound to port 0, read back, released).
    private static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw MotoServerError(message: "socket() failed") }
        defer { close(socketFD) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw MotoServerError(message: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        guard named == 0 else { throw MotoServerError(message: "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func canConnect(port: Int) -> Bool {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return false }
        defer { close(socketFD) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

public struct MotoServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Starts one moto server around a whole suite and makes it `MotoServer.current` for its tests.
public struct MotoServerScope: SuiteTrait, TestScoping {
    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await MotoServer.start()
        defer { server.stop() }
        try await MotoServer.$current.withValue(server) {
            try await function()
        }
    }
}

extension Trait where Self == MotoServerScope {
    /// One moto server for the suite.
    public static var motoServer: Self { MotoServerScope() }
}

/// A timeout that fails the test instead of hanging it.
public struct TimedOut: Error, CustomStringConvertible {
    public var seconds: Double
    public var description: String { "timed out after \(seconds) s" }
}

/// Runs `body`, cancelling it and throwing `TimedOut` if it takes longer than `seconds`.
public func withTimeout<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw TimedOut(seconds: seconds) }
        return value
    }
}
