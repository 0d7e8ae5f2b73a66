using Whetstone.Artifacts.Integrity;

namespace Whetstone.Artifacts.Tests.Integrity;

public sealed class ReadAheadStreamTest
{
    [Theory]
    [InlineData(1, 7)]
    [InlineData(4096, 3)]
    [InlineData(100_000, 1)]
    public async Task The_consumer_reads_exactly_the_source_bytes_whatever_its_read_size(int readSize, int chunkBytes)
    {
        var expected = TestContent.Bytes(50_001, seed: 3);
        var ahead = new ReadAheadStream(new MemoryStream(expected), chunkBytes, depth: 2);
        await using (ahead)
        {
            using var received = new MemoryStream();
            var buffer = new byte[readSize];
            int read;
            while ((read = await ahead.ReadAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
            }

            Assert.Equal(expected, received.ToArray());
            Assert.Equal(0, await ahead.ReadAsync(buffer));
        }
    }

    [Fact]
    public async Task A_failing_source_fails_the_consumers_read_with_the_sources_own_exception()
    {
        var ahead = new ReadAheadStream(new GeneratedStream(1_000_000, seed: 1, failAfter: 10_000), chunkBytes: 4096, depth: 2);
        await using (ahead)
        {
            var error = await Assert.ThrowsAsync<IOException>(() => ahead.CopyToAsync(Stream.Null));
            Assert.Contains("source failed after", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Reading_ahead_stops_at_the_depth_while_the_consumer_waits()
    {
        var source = new GeneratedStream(10_000_000, seed: 1);
        var ahead = new ReadAheadStream(source, chunkBytes: 1000, depth: 3);
        await using (ahead)
        {
            var first = new byte[10];
            Assert.Equal(10, await ahead.ReadAsync(first));
            await Task.Delay(200);

            // The chunk being read, three waiting in the channel and one the producer holds while it waits for room.
            Assert.InRange(source.Position, 1000, 5 * 1000);
        }
    }
}
