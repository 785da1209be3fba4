package io.github.jnic.jhdl.lib.axi;

import static io.github.jnic.jhdl.Hdl.uint;

import io.github.jnic.jhdl.Bundle;
import io.github.jnic.jhdl.UInt;
import io.github.jnic.jhdl.lib.Stream;

/**
 * An AXI4 memory-mapped port as its master sees it: five ready/valid channels, each a {@link Stream}
 * so FIFOs, stages and arbiters apply to them unchanged. Write data and read data use the stream's
 * {@code last} as WLAST and RLAST. Only the signals a DMA engine needs are present (no lock, cache,
 * prot, qos, region or user): a slave that needs them ties them to their defaults. Declared with
 * {@code output(new Axi4(...))} in a master, {@code input(...)} in a slave.
 *
 * <p>Burst rules the masters in this project keep: INCR bursts ({@code burst = 1}), full-width
 * beats ({@code size = log2(data bytes)}), at most 256 beats, never across a 4 KiB boundary.
 */
public class Axi4 extends Bundle {
    public static final int BURST_INCR = 1;
    public static final int RESP_OKAY = 0;
    public static final int RESP_SLVERR = 2;
    public static final int RESP_DECERR = 3;

    public final int idWidth;
    public final int addressWidth;
    public final int dataWidth;

    public final Stream<Address> aw;
    public final Stream<WriteData> w;
    public final Stream<Response> b;
    public final Stream<Address> ar;
    public final Stream<ReadData> r;

    public Axi4(int idWidth, int addressWidth, int dataWidth) {
        if (dataWidth % 8 != 0 || Integer.bitCount(dataWidth) != 1) throw new IllegalArgumentException("AXI data width " + dataWidth);
        this.idWidth = idWidth;
        this.addressWidth = addressWidth;
        this.dataWidth = dataWidth;
        aw = Stream.of(new Address(idWidth, addressWidth));
        w = Stream.packets(new WriteData(dataWidth));
        b = flip(Stream.of(new Response(idWidth)));
        ar = Stream.of(new Address(idWidth, addressWidth));
        r = flip(Stream.packets(new ReadData(idWidth, dataWidth)));
    }

    @Override
    public Axi4 cloneType() {
        return new Axi4(idWidth, addressWidth, dataWidth);
    }

    /** The bytes of one data beat. */
    public int dataBytes() {
        return dataWidth / 8;
    }

    /** AW and AR: where a burst goes. */
    public static class Address extends Bundle {
        public final UInt id;
        public final UInt addr;
        /** Beats in the burst, less one. */
        public final UInt len = uint(8);
        /** log2 of the bytes in a beat. */
        public final UInt size = uint(3);
        public final UInt burst = uint(2);
        private final int idWidth;
        private final int addressWidth;

        public Address(int idWidth, int addressWidth) {
            this.idWidth = idWidth;
            this.addressWidth = addressWidth;
            id = uint(idWidth);
            addr = uint(addressWidth);
        }

        @Override
        public Address cloneType() {
            return new Address(idWidth, addressWidth);
        }
    }

    /** W: one beat of write data and its byte strobes. */
    public static class WriteData extends Bundle {
        public final UInt data;
        public final UInt strb;
        private final int dataWidth;

        public WriteData(int dataWidth) {
            this.dataWidth = dataWidth;
            data = uint(dataWidth);
            strb = uint(dataWidth / 8);
        }

        @Override
        public WriteData cloneType() {
            return new WriteData(dataWidth);
        }
    }

    /** B: the answer to a write burst. */
    public static class Response extends Bundle {
        public final UInt id;
        public final UInt resp = uint(2);
        private final int idWidth;

        public Response(int idWidth) {
            this.idWidth = idWidth;
            id = uint(idWidth);
        }

        @Override
        public Response cloneType() {
            return new Response(idWidth);
        }
    }

    /** R: one beat of read data, with the response of that beat. */
    public static class ReadData extends Bundle {
        public final UInt id;
        public final UInt data;
        public final UInt resp = uint(2);
        private final int idWidth;
        private final int dataWidth;

        public ReadData(int idWidth, int dataWidth) {
            this.idWidth = idWidth;
            this.dataWidth = dataWidth;
            id = uint(idWidth);
            data = uint(dataWidth);
        }

        @Override
        public ReadData cloneType() {
            return new ReadData(idWidth, dataWidth);
        }
    }
}
