import ArgumentParser
import TrailwatchCLI

await Trailwatch.main()
