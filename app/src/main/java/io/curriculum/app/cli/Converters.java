package io.curriculum.app.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values checked where they are parsed, so a wrong one is a usage error before anything starts. */
public final class Converters {

    private Converters() {
    }

    /** A TCP port: 0 (any free port) to 65535. */
    static final class Port implements ITypeConverter<Integer> {

        @Override
        public Integer convert(final String value) {
            final int port;
            try {
                port = Integer.parseInt(value.trim());
            } catch (final NumberFormatException e) {
                throw new TypeConversionException("a port must be a whole number from 0 to 65535, not '" + value + "'");
            }
            if (port < 0 || port > 65535) {
                throw new TypeConversionException("a port must be from 0 (any free port) to 65535, not " + port);
            }
            return port;
        }
    }

    /** A replay speed: 0 (as fast as possible) or a positive, finite factor of real time. */
    public static final class Speed implements ITypeConverter<Double> {

        @Override
        public Double convert(final String value) {
            final double speed;
            try {
                speed = Double.parseDouble(value.trim());
            } catch (final NumberFormatException e) {
                throw new TypeConversionException("must be a number, not '" + value + "'");
            }
            if (speed < 0 || Double.isNaN(speed) || Double.isInfinite(speed)) {
                throw new TypeConversionException("must be 0 (as fast as possible) or a positive factor of real time, not " + speed);
            }
            return speed;
        }
    }

    /** A rate of rows per second: a positive, finite number. */
    public static final class Rate implements ITypeConverter<Double> {

        @Override
        public Double convert(final String value) {
            final double rate;
            try {
                rate = Double.parseDouble(value.trim());
            } catch (final NumberFormatException e) {
                throw new TypeConversionException("must be a number of rows per second, not '" + value + "'");
            }
            if (!(rate > 0) || Double.isInfinite(rate)) {
                throw new TypeConversionException("must be a positive number of rows per second, not " + value.trim());
            }
            return rate;
        }
    }
}
