// Reference raw-DEFLATE decoder for the differential inflate harness: the system zlib, output capped at `capacity`.
// Returns 1 when the stream ends inside the input (Z_STREAM_END), 0 when zlib rejects or it is cut short, 2 when the
// output would pass `capacity` (no verdict).
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

int fuzz_zlib_inflate_raw(const uint8_t *input, size_t count, uint8_t *output, size_t capacity, size_t *produced) {
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit2(&stream, -15) != Z_OK) return 0;
    stream.next_in = (Bytef *)input;
    stream.avail_in = (uInt)count;
    stream.next_out = output;
    stream.avail_out = (uInt)capacity;
    int status = inflate(&stream, Z_FINISH);
    *produced = capacity - stream.avail_out;
    inflateEnd(&stream);
    if (status == Z_STREAM_END) return 1;
    if (stream.avail_out == 0 && (status == Z_BUF_ERROR || status == Z_OK)) return 2;
    return 0;
}
