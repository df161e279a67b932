import ArgumentParser
import TrailwatchCLI

/// The executable's entry point. The command tree lives in `TrailwatchCLI` so that tests reach it; from an async
/// context, `main` resolves to ArgumentParser's asynchronous entry point, which runs `AsyncParsableCommand`s.
@main
enum TrailwatchMain {
    static func main() async {
        await Trailwatch.main(nil)
    }
}
