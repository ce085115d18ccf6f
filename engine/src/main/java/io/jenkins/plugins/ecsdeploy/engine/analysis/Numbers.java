package io.jenkins.plugins.ecsdeploy.engine.analysis;

import java.math.BigDecimal;

/** Numbers for people: no exponent, no trailing zeros, at most 4 significant decimals. */
final class Numbers {
    private Numbers() {
    }

    static String plain(Double d) {
        if (d == null) {
            return "?";
        }
        if (d.isNaN() || d.isInfinite()) {
            return String.valueOf(d);
        }
        double abs = Math.abs(d);
        int scale = abs >= 100 ? 1 : abs >= 1 ? 3 : 4;
        BigDecimal b = BigDecimal.valueOf(d).setScale(scale, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
        return b.scale() < 0 ? b.setScale(0).toPlainString() : b.toPlainString();
    }
}
