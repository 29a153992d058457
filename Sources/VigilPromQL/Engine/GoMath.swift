#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The libm functions PromQL needs, named as Go's `math` package names them.
enum GoMath {
    static func exp(_ x: Double) -> Double { Glibc_exp(x) }
    static func log(_ x: Double) -> Double { Glibc_log(x) }
    static func log2(_ x: Double) -> Double { Glibc_log2(x) }
    static func log10(_ x: Double) -> Double { Glibc_log10(x) }
    static func pow(_ x: Double, _ y: Double) -> Double { Glibc_pow(x, y) }
    static func mod(_ x: Double, _ y: Double) -> Double { Glibc_fmod(x, y) }
    static func atan2(_ y: Double, _ x: Double) -> Double { Glibc_atan2(y, x) }
    static func sin(_ x: Double) -> Double { Glibc_sin(x) }
    static func cos(_ x: Double) -> Double { Glibc_cos(x) }
    static func tan(_ x: Double) -> Double { Glibc_tan(x) }
    static func asin(_ x: Double) -> Double { Glibc_asin(x) }
    static func acos(_ x: Double) -> Double { Glibc_acos(x) }
    static func atan(_ x: Double) -> Double { Glibc_atan(x) }
    static func sinh(_ x: Double) -> Double { Glibc_sinh(x) }
    static func cosh(_ x: Double) -> Double { Glibc_cosh(x) }
    static func tanh(_ x: Double) -> Double { Glibc_tanh(x) }
    static func asinh(_ x: Double) -> Double { Glibc_asinh(x) }
    static func acosh(_ x: Double) -> Double { Glibc_acosh(x) }
    static func atanh(_ x: Double) -> Double { Glibc_atanh(x) }
}

// Module-level shims so the static members above can share libm's names.
@inline(__always) private func Glibc_exp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func Glibc_log(_ x: Double) -> Double { log(x) }
@inline(__always) private func Glibc_log2(_ x: Double) -> Double { log2(x) }
@inline(__always) private func Glibc_log10(_ x: Double) -> Double { log10(x) }
@inline(__always) private func Glibc_pow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) private func Glibc_fmod(_ x: Double, _ y: Double) -> Double { fmod(x, y) }
@inline(__always) private func Glibc_atan2(_ y: Double, _ x: Double) -> Double { atan2(y, x) }
@inline(__always) private func Glibc_sin(_ x: Double) -> Double { sin(x) }
@inline(__always) private func Glibc_cos(_ x: Double) -> Double { cos(x) }
@inline(__always) private func Glibc_tan(_ x: Double) -> Double { tan(x) }
@inline(__always) private func Glibc_asin(_ x: Double) -> Double { asin(x) }
@inline(__always) private func Glibc_acos(_ x: Double) -> Double { acos(x) }
@inline(__always) private func Glibc_atan(_ x: Double) -> Double { atan(x) }
@inline(__always) private func Glibc_sinh(_ x: Double) -> Double { sinh(x) }
@inline(__always) private func Glibc_cosh(_ x: Double) -> Double { cosh(x) }
@inline(__always) private func Glibc_tanh(_ x: Double) -> Double { tanh(x) }
@inline(__always) private func Glibc_asinh(_ x: Double) -> Double { asinh(x) }
@inline(__always) private func Glibc_acosh(_ x: Double) -> Double { acosh(x) }
@inline(__always) private func Glibc_atanh(_ x: Double) -> Double { atanh(x) }
