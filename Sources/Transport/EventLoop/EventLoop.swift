#if canImport(Glibc)
import Glibc
#endif
import CLinux
import DequeModule
import Synchronization
import Threads

/// One epoll loop on its own thread: file-descriptor readiness, jobs handed over from any thread
/// (woken through an eventfd) and timers. Handlers run on the loop thread and must not block.
/// Registrations carry a generation in the epoll data, so an event for a closed and reused fd number
/// is recognised as stale and dropped.
///
/// Whoever runs the loop's work holds `turn`: the loop thread while it handles events, jobs and
/// timers (not while it waits in `epoll_wait`), or another thread running a job through `perform`
/// while the loop waits. "On the loop thread" below means "holding the turn".
///
/// `@unchecked Sendable`: `jobs` is guarded by its mutex; the registration and timer tables are only
/// touched with the turn held.
public final class EventLoop: @unchecked Sendable {
    public typealias Handler = (UInt32) -> Void

    private struct Registration {
        var generation: UInt32
        var handler: Handler
    }

    private let epoll: Int32
    private let wake: Int32
    private let jobs = Mutex<(queue: [@Sendable () -> Void], sleeping: Bool)>(([], false))
    /// The jobs being run, swapped with the queue so that neither array is reallocated.
    private var runningJobs: [@Sendable () -> Void] = []
    /// Indexed by file descriptor.
    private var registrations: [Registration?] = []
    private var timers = LoopTimers()
    private var nextGeneration: UInt32 = 0
    private let running = Atomic<Bool>(true)
    /// Scratch space for reads, used by one connection at a time on this loop's thread.
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    /// Output gathered while a connection handles what it read, sent with one syscall afterwards;
    /// used by one connection at a time (`corkInUse`), on this loop's thread.
    let cork = OutboundBuffer(capacity: 64 * 1024)
    var corkInUse = false
    /// The monotonic time when the loop last woke up (cheaper than asking the clock per read).
    private(set) var time: Double = SystemTime.monotonic()
    /// The thread holding the turn (0 while the loop waits and nobody performs a job).
    private let holder = Atomic<UInt>(0)
    private let turn = Mutex<Void>(())
    /// When the loop's current `epoll_wait` times out (for a timer); with the turn held.
    private var sleepsUntil = Double.infinity
    /// Work put off to the next turn (`later`): connections that used their read budget and still
    /// have input. While it is not empty the loop does not block in `epoll_wait`.
    private var ready: [() -> Void] = []
    private var readyRunning: [() -> Void] = []

    public init() {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        wake = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        precondition(epoll >= 0 && wake >= 0, "cannot create epoll/eventfd: errno \(errno)")
        var event = epoll_event(events: EPOLLIN.rawValue | EPOLLET.rawValue, data: epoll_data_t(u64: UInt64.max))
        epoll_ctl(epoll, EPOLL_CTL_ADD, wake, &event)
        DedicatedThread.start("loop") { [self] in run() }
    }

    /// Whether the caller holds this loop's turn (runs on its thread, or in a job it performs).
    public var inLoop: Bool { holder.load(ordering: .acquiring) == Self.currentThread }

    private static var currentThread: UInt { UInt(bitPattern: Int(bitPattern: pthread_self())) }

    /// Runs `job` on the loop thread, soon; from any thread.
    public func execute(_ job: @escaping @Sendable () -> Void) {
        let wakeUp = jobs.withLock { state -> Bool in
            state.queue.append(job)
            defer { state.sleeping = false }
            return state.sleeping
        }
        if wakeUp { self.wakeUp() }
    }

    /// Runs `job` on the loop. When the loop is waiting for events with nothing queued, the calling
    /// thread takes the loop's turn and runs `job` at once, sparing a wake-up and a thread switch;
    /// otherwise `job` is queued as with `execute`. Either way it runs exclusively with the loop's
    /// other work, so it must be as short and non-blocking as any loop job.
    public func perform(_ job: @escaping @Sendable () -> Void) {
        if inLoop { return job() }
        let ran = turn.withLockIfAvailable { _ -> Bool in
            guard jobs.withLock({ $0.sleeping && $0.queue.isEmpty }) else { return false }
            holder.store(Self.currentThread, ordering: .releasing)
            time = SystemTime.monotonic()
            job()
            holder.store(0, ordering: .releasing)
            // A timer due before the loop's wait ends, or work put off to the next turn, must wake it.
            if !ready.isEmpty { wakeUp() } else if let first = timers.nextDeadline(), first < sleepsUntil { wakeUp() }
            return true
        }
        if ran != true { execute(job) }
    }

    /// Whether the loop waits for events with nothing queued and its turn free (what lets `perform` run inline).
    var isParked: Bool {
        turn.withLockIfAvailable { _ in jobs.withLock { $0.sleeping && $0.queue.isEmpty } } ?? false
    }

    private func wakeUp() {
        var one: UInt64 = 1
        _ = write(wake, &one, 8)
    }

    /// Stops the loop after the jobs queued so far.
    public func shutdown() {
        execute { [self] in running.store(false, ordering: .relaxed) }
    }

    // MARK: Loop-thread API

    /// Watches `fd` (edge-triggered, read and write) and calls `handler` with the epoll events.
    public func register(_ fd: Int32, _ handler: @escaping Handler) {
        nextGeneration &+= 1
        let index = Int(fd)
        if index >= registrations.count {
            registrations.append(contentsOf: repeatElement(nil, count: max(index + 1, registrations.count * 2, 64) - registrations.count))
        }
        registrations[index] = Registration(generation: nextGeneration, handler: handler)
        var event = epoll_event(events: EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue,
                                data: epoll_data_t(u64: UInt64(UInt32(bitPattern: fd)) | UInt64(nextGeneration) << 32))
        epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event)
    }

    public func unregister(_ fd: Int32) {
        if Int(fd) < registrations.count { registrations[Int(fd)] = nil }
        epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nil)
    }

    /// Runs `job` on the loop after `seconds`; returns an id for `cancelTimer`.
    @discardableResult
    public func schedule(after seconds: Double, _ job: @escaping () -> Void) -> UInt64 {
        timers.schedule(at: SystemTime.monotonic() + seconds, job)
    }

    public func cancelTimer(_ id: UInt64) {
        timers.cancel(id)
    }

    /// Runs `job` on the next turn of the loop, after that turn's I/O events: how a connection that
    /// used its read budget keeps its place (with edge-triggered epoll no new event would come for
    /// input already waiting) while the other connections are served first.
    func later(_ job: @escaping () -> Void) {
        ready.append(job)
    }

    // MARK: The loop

    private func run() {
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var count: Int32 = 0
        while running.load(ordering: .relaxed) {
            let timeout = turn.withLock { _ -> Int32 in
                holder.store(Self.currentThread, ordering: .releasing)
                defer { holder.store(0, ordering: .releasing) }
                time = SystemTime.monotonic()
                handle(events, count: Int(count))
                let timeout: Int32
                if let first = timers.nextDeadline() {
                    timeout = Int32(max(0, min(60_000, (first - SystemTime.monotonic()) * 1000).rounded(.up)))
                    sleepsUntil = first
                } else {
                    timeout = -1
                    sleepsUntil = .infinity
                }
                let pending = jobs.withLock { state -> Bool in
                    if state.queue.isEmpty { state.sleeping = true }
                    return !state.queue.isEmpty
                }
                return pending || !ready.isEmpty ? 0 : timeout
            }
            count = 0
            if timeout != 0 {
                _ = BusyPoll.poll {
                    count = epoll_wait(epoll, &events, Int32(events.count), 0)
                    return count != 0
                }
            }
            if count == 0 { count = epoll_wait(epoll, &events, Int32(events.count), timeout) }
        }
        close(epoll)
        close(wake)
    }

    /// Handles what `epoll_wait` reported, then the work put off from the last turn, then the queued
    /// jobs, then the timers that are due.
    private func handle(_ events: [epoll_event], count: Int) {
        swap(&ready, &readyRunning)
        for index in 0..<max(0, count) {
            let data = events[index].data.u64
            if data == UInt64.max {
                var value: UInt64 = 0
                _ = read(wake, &value, 8)
                continue
            }
            let fd = Int(UInt32(truncatingIfNeeded: data))
            let generation = UInt32(truncatingIfNeeded: data >> 32)
            guard fd < registrations.count, let registration = registrations[fd], registration.generation == generation else { continue }
            registration.handler(events[index].events)
        }
        for job in readyRunning { job() }
        readyRunning.removeAll(keepingCapacity: true)
        jobs.withLock { state in
            state.sleeping = false
            swap(&state.queue, &runningJobs)
        }
        for job in runningJobs { job() }
        runningJobs.removeAll(keepingCapacity: true)
        let now = SystemTime.monotonic()
        while let job = timers.popDue(now) { job() }
    }
}
