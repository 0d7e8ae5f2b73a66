"""Independent reference for TwoProportionTest, computed with SciPy.

Reads a JSON list of cases {canary: [s, n], stable: [s, n], delta, confidence, rho} on stdin and prints a JSON list
of {difference, variance, z, one_sided_p, log_lr, threshold}. The mixture likelihood ratio is integrated numerically
(scipy.integrate.quad over theta ~ N(0, tau^2) of the normal likelihood ratio), not taken from the closed form.
"""
import json
import math
import sys

from scipy import integrate, stats


def track_variance(s, n):
    p = s / n
    if p <= 0 or p >= 1:
        p = (s + 0.5) / (n + 1)
    return p * (1 - p) / n


def reference(case):
    sc, nc = case["canary"]
    ss, ns = case["stable"]
    f = 1 - case["delta"]
    alpha = 1 - case["confidence"]
    difference = sc / nc - f * ss / ns
    variance = track_variance(sc, nc) + f * f * track_variance(ss, ns)
    sd = math.sqrt(variance)
    tau = case["rho"] * ss / ns
    z = difference / sd

    # Likelihood ratio of the estimate under theta versus theta = 0, averaged over the mixture N(0, tau^2).
    def integrand(theta):
        return stats.norm.pdf(difference, loc=theta, scale=sd) / stats.norm.pdf(difference, loc=0, scale=sd) \
            * stats.norm.pdf(theta, loc=0, scale=tau)

    lam, _ = integrate.quad(integrand, -12 * tau, 12 * tau, epsabs=0, epsrel=1e-11, limit=400)
    return {
        "difference": difference,
        "variance": variance,
        "z": z,
        "one_sided_p": float(stats.norm.sf(abs(z))),
        "log_lr": math.log(lam),
        "threshold": math.log(1 / (2 * alpha)),
    }


print(json.dumps([reference(c) for c in json.load(sys.stdin)]))
