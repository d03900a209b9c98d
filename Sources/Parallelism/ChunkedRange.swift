import Dispatch

/// A fixed split of `0..<count` into contiguous chunks, and the deterministic parallel loop
/// over them that every parallel computation in the project uses.
///
/// Chunk `c` of `chunkCount` covers `count·c/chunkCount ..< count·(c+1)/chunkCount`: the
/// boundaries are a function of the problem size (and, where a caller chooses, the thread
/// count) only, never of scheduling. `forEach` and `map` run the chunks on up to `threads`
/// threads, worker `w` taking chunks `w, w + threads, …`, and `map` returns the results in
/// chunk order; a caller that combines them in that order gets the same bits however the
/// chunks were scheduled. Sums that must not depend on the thread count either use a chunk
/// count that does not depend on it (`init(count:itemsPerChunk:maximumChunks:)`).
///
/// Invariants: `count ≥ 0`, `chunkCount ≥ 1`; the chunks are disjoint, in order, and cover
/// `0..<count` (some are empty when `count < chunkCount`).
public struct ChunkedRange: Sendable, Equatable {
  /// Number of items.
  public let count: Int
  /// Number of chunks (≥ 1).
  public let chunkCount: Int

  /// Splits `0..<count` into `chunkCount` chunks of (nearly) equal size.
  /// - Parameters:
  ///   - count: Number of items (≥ 0).
  ///   - chunkCount: Number of chunks; values below 1 mean 1.
  public init(count: Int, chunkCount: Int) {
    precondition(count >= 0, "ChunkedRange: negative count \(count)")
    self.count = count
    self.chunkCount = max(1, chunkCount)
  }

  /// Splits `0..<count` into `count / itemsPerChunk` chunks, at least 1 and at most
  /// `maximumChunks`: small problems stay in one chunk (on the calling thread).
  /// - Parameters:
  ///   - count: Number of items (≥ 0).
  ///   - itemsPerChunk: Items per chunk below which no further chunk is made (≥ 1).
  ///   - maximumChunks: Upper bound on the number of chunks (≥ 1).
  public init(count: Int, itemsPerChunk: Int, maximumChunks: Int) {
    precondition(itemsPerChunk >= 1 && maximumChunks >= 1, "ChunkedRange: bounds")
    self.init(count: count, chunkCount: min(maximumChunks, count / itemsPerChunk))
  }

  /// The items of chunk `chunk`.
  /// - Parameter chunk: A chunk index in `0..<chunkCount`.
  /// - Returns: A contiguous, possibly empty, range of items.
  public func range(ofChunk chunk: Int) -> Range<Int> {
    precondition(chunk >= 0 && chunk < chunkCount, "ChunkedRange: chunk \(chunk) out of range")
    return (count * chunk / chunkCount)..<(count * (chunk + 1) / chunkCount)
  }

  /// Runs `body` once per chunk, on up to `threads` threads.
  ///
  /// With one thread or one chunk everything runs on the calling thread, in chunk order.
  /// `body` must write only state that belongs to its chunk.
  /// - Parameters:
  ///   - threads: Threads to use (values below 1 mean 1); the chunks do not depend on it.
  ///   - body: Called with the chunk index and its items.
  public func forEach(
    threads: Int, _ body: @Sendable (_ chunk: Int, _ items: Range<Int>) -> Void
  ) {
    let workers = min(max(1, threads), chunkCount)
    if workers == 1 {
      for chunk in 0..<chunkCount { body(chunk, range(ofChunk: chunk)) }
      return
    }
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
      for chunk in stride(from: worker, to: chunkCount, by: workers) {
        body(chunk, range(ofChunk: chunk))
      }
    }
  }

  /// The results of `body` for every chunk, in chunk order, computed on up to `threads`
  /// threads.
  /// - Parameters:
  ///   - threads: Threads to use (values below 1 mean 1); the chunks do not depend on it.
  ///   - body: Called with the chunk index and its items.
  /// - Returns: One result per chunk, in chunk order.
  /// - Throws: The error of the first chunk (in chunk order) that threw; every chunk runs.
  public func map<T: Sendable, E: Error>(
    threads: Int, _ body: @Sendable (_ chunk: Int, _ items: Range<Int>) throws(E) -> T
  ) throws(E) -> [T] {
    let slots = ResultSlots<T, E>(count: chunkCount)
    forEach(threads: threads) { chunk, items in
      do throws(E) {
        slots.store(.success(try body(chunk, items)), at: chunk)
      } catch {
        slots.store(.failure(error), at: chunk)
      }
    }
    var results = [T]()
    results.reserveCapacity(chunkCount)
    for result in slots.take() { results.append(try result.get()) }
    return results
  }
}

/// One result slot per chunk; each chunk writes only its own slot, so no lock is needed.
private final class ResultSlots<T, E: Error>: @unchecked Sendable {
  private var slots: UnsafeMutableBufferPointer<Result<T, E>?>

  init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil)
  }

  deinit {
    _ = slots.deinitialize()
    slots.deallocate()
  }

  func store(_ result: Result<T, E>, at chunk: Int) { slots[chunk] = result }

  /// The results in chunk order (every slot must have been written).
  func take() -> [Result<T, E>] {
    slots.map { slot in
      guard let slot else { preconditionFailure("ChunkedRange: a chunk did not run") }
      return slot
    }
  }
}
