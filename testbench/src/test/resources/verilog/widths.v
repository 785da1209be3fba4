// Ports of every storage class of the harness (8/32/64-bit, wide words) and a counter that can
// halt the simulation in three ways (halt: 1 $finish, 2 $stop, 3 $fatal) when it reaches 10.
module widths (
    input  wire         clk,
    input  wire         rst,
    input  wire         en,
    input  wire [1:0]   halt,
    input  wire         a1,
    input  wire [31:0]  a32,
    input  wire [63:0]  a64,
    input  wire [64:0]  a65,
    input  wire [127:0] a128,
    output wire         y1,
    output wire [31:0]  y32,
    output wire [63:0]  y64,
    output wire [64:0]  y65,
    output wire [127:0] y128,
    output reg  [31:0]  count
);
    assign y1 = ~a1;
    assign y32 = a32 + 32'd1;
    assign y64 = a64 ^ 64'hF0F0_0000_FFFF_1234;
    assign y65 = a65 + 65'd1;
    assign y128 = {a128[63:0], a128[127:64]};

    always @(posedge clk) begin
        if (rst) count <= 32'd0;
        else if (en) count <= count + 32'd1;
        if (!rst && count == 32'd10) begin
            case (halt)
                2'd1: $finish;
                2'd2: $stop;
                2'd3: $fatal(1, "count reached %0d", count);
                default: ;
            endcase
        end
        if (!rst && en && count == 32'd5) $display("count is five");
    end
endmodule
