import SigmaKit
