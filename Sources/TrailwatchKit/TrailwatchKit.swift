import SigmaKit
import CloudTrail
