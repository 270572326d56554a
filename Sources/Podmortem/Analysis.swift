import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel

/// Placeholder wiring; replaced by the real facade.
public enum PodmortemVersion {
  public static let string = "0.1.0"
}
