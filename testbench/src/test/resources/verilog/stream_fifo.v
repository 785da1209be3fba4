// A 16-entry synchronous FIFO for a ready/valid stream (32-bit data, keep, last, user).
module stream_fifo (
    input  wire        clk,
    input  wire        rst,
    input  wire        in_valid,
    output wire        in_ready,
    input  wire [31:0] in_data,
    input  wire [3:0]  in_keep,
    input  wire        in_last,
    input  wire        in_user,
    output wire        out_valid,
    input  wire        out_ready,
    output wire [31:0] out_data,
    output wire [3:0]  out_keep,
    output wire        out_last,
    output wire        out_user,
    output wire [4:0]  level
);
    reg [37:0] mem [0:15];
    reg [4:0] wr_ptr, rd_ptr;

    assign level = wr_ptr - rd_ptr;
    assign in_ready = level != 5'd16;
    assign out_valid = level != 5'd0;
    assign {out_user, out_last, out_keep, out_data} = mem[rd_ptr[3:0]];

    always @(posedge clk) begin
        if (rst) begin
            wr_ptr <= 5'd0;
            rd_ptr <= 5'd0;
        end else begin
            if (in_valid && in_ready) begin
                mem[wr_ptr[3:0]] <= {in_user, in_last, in_keep, in_data};
                wr_ptr <= wr_ptr + 5'd1;
            end
            if (out_valid && out_ready) rd_ptr <= rd_ptr + 5'd1;
        end
    end
endmodule
