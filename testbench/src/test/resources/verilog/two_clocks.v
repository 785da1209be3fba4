// One counter per clock domain.
module two_clocks (
    input  wire        clk_a,
    input  wire        clk_b,
    output reg  [31:0] count_a = 32'd0,
    output reg  [31:0] count_b = 32'd0
);
    always @(posedge clk_a) count_a <= count_a + 32'd1;
    always @(posedge clk_b) count_b <= count_b + 32'd1;
endmodule
