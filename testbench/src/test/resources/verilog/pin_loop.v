// Pins looped back through registers: q_sdr/qv_sdr on the rising edge, q_ddr on both edges.
module pin_loop (
    input  wire       clk,
    input  wire [3:0] d,
    input  wire       dv,
    output reg  [3:0] q_sdr = 4'd0,
    output reg        qv_sdr = 1'b0,
    output wire [3:0] q_ddr
);
    reg [3:0] q_rise = 4'd0, q_fall = 4'd0;

    always @(posedge clk) begin
        q_sdr <= d;
        qv_sdr <= dv;
        q_rise <= d;
    end
    always @(negedge clk) q_fall <= d;

    // While clk is high the last rising edge's capture shows, while low the last falling edge's.
    assign q_ddr = clk ? q_rise : q_fall;
endmodule
