import Parallelism
import Testing

@Suite("ChunkedRange")
struct ChunkedRangeTests {
  @Test(
    "the chunks are contiguous, in order, cover every item and are count·c/chunks apart",
    arguments: [(0, 1), (1, 1), (5, 8), (100, 7), (4097, 2), (10_000, 64)])
  func chunksPartitionTheItems(count: Int, chunkCount: Int) {
    let chunks = ChunkedRange(count: count, chunkCount: chunkCount)
    var next = 0
    for c in 0..<chunks.chunkCount {
      let range = chunks.range(ofChunk: c)
      #expect(range.lowerBound == next)
      #expect(range.lowerBound == count * c / chunkCount)
      next = range.upperBound
    }
    #expect(next == count)
  }

  @Test("the chunk count is count / itemsPerChunk, at least 1 and at most the maximum")
  func chunkCountFromTheProblemSize() {
    #expect(ChunkedRange(count: 0, itemsPerChunk: 256, maximumChunks: 64).chunkCount == 1)
    #expect(ChunkedRange(count: 255, itemsPerChunk: 256, maximumChunks: 64).chunkCount == 1)
    #expect(ChunkedRange(count: 3 * 256 + 5, itemsPerChunk: 256, maximumChunks: 64).chunkCount == 3)
    #expect(ChunkedRange(count: 1 << 30, itemsPerChunk: 256, maximumChunks: 64).chunkCount == 64)
    #expect(ChunkedRange(count: 10, chunkCount: 0).chunkCount == 1)
  }

  @Test("map returns the results in chunk order for 1, 2, 3 and 8 threads")
  func mapIsInChunkOrder() {
    let chunks = ChunkedRange(count: 10_000, chunkCount: 37)
    let expected = (0..<37).map { chunks.range(ofChunk: $0) }
    for threads in [1, 2, 3, 8] {
      let ranges = chunks.map(threads: threads) { _, range in range }
      #expect(ranges == expected)
    }
  }

  @Test("sums combined in chunk order are the same bits for every thread count")
  func sumsDoNotDependOnThreads() {
    let values = (0..<50_000).map { (i: Int) -> Double in
      let x = Double(i)
      return 1 / (x + 1) + Double(i % 7) * 1e-3
    }
    let chunks = ChunkedRange(count: values.count, itemsPerChunk: 1000, maximumChunks: 16)
    func total(threads: Int) -> Double {
      let parts = chunks.map(threads: threads) { _, range in
        var s = 0.0
        for i in range { s += values[i] }
        return s
      }
      return parts.reduce(0, +)
    }
    let one = total(threads: 1)
    #expect(total(threads: 2) == one)
    #expect(total(threads: 5) == one)
  }

  @Test("every chunk runs exactly once, whatever the thread count")
  func everyChunkRunsOnce() {
    let chunks = ChunkedRange(count: 1000, chunkCount: 9)
    for threads in [1, 2, 4] {
      let counts = chunks.map(threads: threads) { chunk, range in (chunk, range.count) }
      #expect(counts.map(\.0) == Array(0..<9))
      #expect(counts.map(\.1).reduce(0, +) == 1000)
    }
  }

  private struct ChunkFailure: Error, Equatable { let chunk: Int }

  @Test("map throws the error of the first failing chunk in chunk order")
  func firstErrorInChunkOrder() {
    let chunks = ChunkedRange(count: 100, chunkCount: 10)
    for threads in [1, 3] {
      #expect(throws: ChunkFailure(chunk: 4)) {
        _ = try chunks.map(threads: threads) { chunk, _ throws(ChunkFailure) -> Int in
          if chunk == 4 || chunk == 7 { throw ChunkFailure(chunk: chunk) }
          return chunk
        }
      }
    }
  }
}
