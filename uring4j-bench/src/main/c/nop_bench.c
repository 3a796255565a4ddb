/*
 * nop_bench: the C side of the binding micro-benchmarks (uring4j-bench/scripts/jmh.sh).
 *
 * Does on liburing exactly the work the JMH benchmarks in dev.uring4j.bench.jmh do through
 * uring4j-ring, with the same ring setup (128 SQEs, 256 CQEs, SINGLE_ISSUER | DEFER_TASKRUN),
 * so that the two can be compared side by side in one run. Written against liburing 2.3
 * (Debian bookworm): no io_uring_setup_buf_ring, the buffer ring is registered by hand.
 *
 * usage: nop_bench [--warmup-ms N] [--samples N] [--sample-ms N] CELL...
 *   nop-BATCH-registered|plain  submit BATCH nops, io_uring_submit_and_wait(BATCH), reap them;
 *                               with or without io_uring_register_ring_fd
 *   enter-plain                 syscall(__NR_io_uring_enter, ring_fd, 0, 0, 0, NULL, 0)
 *   enter-registered            the same through the registered index (IORING_ENTER_REGISTERED_RING)
 *   syscall-inline              C only, x86-64: the registered empty enter as an inline `syscall`
 *                               instruction, 16 per step, no function return after any of them
 *   syscall-ret                 C only, x86-64: the same from a non-inlined function, so each
 *                               system call is followed by a `ret` (the difference is that ret's cost)
 *   bufring-recycle             io_uring_buf_ring_add + io_uring_buf_ring_advance(1) per buffer
 *   bufring-add-advance         32 x io_uring_buf_ring_add, then one io_uring_buf_ring_advance(32)
 *   cq-drain                    io_uring_for_each_cqe over 128 ready CQEs + io_uring_cq_advance
 *
 * Prints one line per cell: "CELL ns_op=MEDIAN samples=S1,S2,..." where each sample is the
 * mean nanoseconds per operation (per nop, per enter, per buffer, per CQE) over --sample-ms.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <liburing.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SQ_ENTRIES 128
#define CQ_ENTRIES 256
#define SETUP_FLAGS (IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN)
/* Operations per timed invocation, as @OperationsPerInvocation on the Java side. */
#define NOP_OPS 128
#define BUF_ENTRIES 256
#define BUF_SIZE 4096
#define BUF_BATCH 32
#define BGID 0

static volatile uint64_t sink;

static void die(const char *what, int err)
{
	fprintf(stderr, "nop_bench: %s: %s\n", what, strerror(err));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t) ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static void ring_init(struct io_uring *ring, int register_fd)
{
	struct io_uring_params p = { .flags = SETUP_FLAGS | IORING_SETUP_CQSIZE, .cq_entries = CQ_ENTRIES };
	int r = io_uring_queue_init_params(SQ_ENTRIES, ring, &p);
	if (r < 0)
		die("io_uring_queue_init_params", -r);
	if (register_fd) {
		r = io_uring_register_ring_fd(ring);
		if (r != 1)
			die("io_uring_register_ring_fd", r < 0 ? -r : EINVAL);
	}
}

/* One timed unit of each cell; returns the operations it did. */
typedef unsigned (*step_fn)(void *state);

struct nop_state {
	struct io_uring ring;
	unsigned batch;
};

static unsigned nop_step(void *arg)
{
	struct nop_state *s = arg;
	struct io_uring *ring = &s->ring;
	uint64_t sum = 0;
	for (unsigned done = 0; done < NOP_OPS; done += s->batch) {
		for (unsigned i = 0; i < s->batch; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
			io_uring_prep_nop(sqe);
			sqe->user_data = i;
		}
		int submitted = io_uring_submit_and_wait(ring, s->batch);
		if (submitted != (int) s->batch)
			die("io_uring_submit_and_wait", submitted < 0 ? -submitted : EIO);
		unsigned head, reaped = 0;
		struct io_uring_cqe *cqe;
		io_uring_for_each_cqe(ring, head, cqe) {
			sum += cqe->user_data + (unsigned) cqe->res;
			reaped++;
		}
		io_uring_cq_advance(ring, reaped);
		if (reaped != s->batch)
			die("reaping nops", EIO);
	}
	sink += sum;
	return NOP_OPS;
}

struct enter_state {
	struct io_uring ring;
	int fd;
	unsigned flags;
};

static unsigned enter_step(void *arg)
{
	struct enter_state *s = arg;
	long r = syscall(__NR_io_uring_enter, s->fd, 0, 0, s->flags, NULL, 0);
	if (r < 0)
		die("io_uring_enter", errno);
	return 1;
}

#if defined(__x86_64__)
#define SYSCALLS_PER_STEP 16

/* io_uring_enter(fd, 0, 0, flags, NULL, 0) as one `syscall` instruction, inlined at each use. */
static inline long enter_inline(long fd, long flags)
{
	long r;
	register long r10 __asm__("r10") = flags;
	register long r8 __asm__("r8") = 0;
	register long r9 __asm__("r9") = 0;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"((long) __NR_io_uring_enter), "D"(fd), "S"(0L), "d"(0L), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return r;
}

__attribute__((noinline)) static long enter_returning(long fd, long flags)
{
	return enter_inline(fd, flags);
}

static unsigned syscall_inline_step(void *arg)
{
	struct enter_state *s = arg;
	for (int i = 0; i < SYSCALLS_PER_STEP; i++)
		if (enter_inline(s->fd, s->flags) < 0)
			die("io_uring_enter", EIO);
	return SYSCALLS_PER_STEP;
}

static unsigned syscall_ret_step(void *arg)
{
	struct enter_state *s = arg;
	for (int i = 0; i < SYSCALLS_PER_STEP; i++)
		if (enter_returning(s->fd, s->flags) < 0)
			die("io_uring_enter", EIO);
	return SYSCALLS_PER_STEP;
}
#endif

struct bufring_state {
	struct io_uring ring;
	struct io_uring_buf_ring *br;
	char *bufs;
	unsigned bid;
};

static unsigned bufring_recycle_step(void *arg)
{
	struct bufring_state *s = arg;
	unsigned bid = s->bid;
	io_uring_buf_ring_add(s->br, s->bufs + (size_t) bid * BUF_SIZE, BUF_SIZE, bid,
			      io_uring_buf_ring_mask(BUF_ENTRIES), 0);
	io_uring_buf_ring_advance(s->br, 1);
	s->bid = (bid + 1) & (BUF_ENTRIES - 1);
	return 1;
}

static unsigned bufring_add_advance_step(void *arg)
{
	struct bufring_state *s = arg;
	unsigned bid = s->bid;
	for (int k = 0; k < BUF_BATCH; k++) {
		unsigned b = (bid + k) & (BUF_ENTRIES - 1);
		io_uring_buf_ring_add(s->br, s->bufs + (size_t) b * BUF_SIZE, BUF_SIZE, b,
				      io_uring_buf_ring_mask(BUF_ENTRIES), k);
	}
	io_uring_buf_ring_advance(s->br, BUF_BATCH);
	s->bid = (bid + BUF_BATCH) & (BUF_ENTRIES - 1);
	return BUF_BATCH;
}

static unsigned cq_drain_step(void *arg)
{
	struct io_uring *ring = arg;
	unsigned head, drained = 0;
	uint64_t sum = 0;
	struct io_uring_cqe *cqe;
	io_uring_for_each_cqe(ring, head, cqe) {
		sum += cqe->user_data + (unsigned) cqe->res;
		drained++;
	}
	io_uring_cq_advance(ring, drained);
	/*
	 * Rewinds the head so the same CQEs are ready again, as the Java side does: nothing is in
	 * flight, so the kernel posts nothing meanwhile and only sees a full-looking CQ.
	 */
	io_uring_smp_store_release(ring->cq.khead, *ring->cq.khead - drained);
	sink += sum;
	return drained;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;
	return x < y ? -1 : x > y;
}

static void measure(const char *cell, step_fn step, void *state, int warmup_ms, int samples, int sample_ms)
{
	double ns[samples];
	uint64_t end = now_ns() + (uint64_t) warmup_ms * 1000000u;
	while (now_ns() < end)
		for (int i = 0; i < 64; i++)
			step(state);
	for (int s = 0; s < samples; s++) {
		uint64_t ops = 0, start = now_ns(), t;
		/* The clock is read every 64 steps so that its cost stays out of the figure. */
		do {
			for (int i = 0; i < 64; i++)
				ops += step(state);
			t = now_ns();
		} while (t - start < (uint64_t) sample_ms * 1000000u);
		ns[s] = (double) (t - start) / (double) ops;
	}
	double sorted[samples];
	memcpy(sorted, ns, sizeof(ns));
	qsort(sorted, samples, sizeof(double), cmp_double);
	printf("%s ns_op=%.3f samples=", cell, sorted[samples / 2]);
	for (int s = 0; s < samples; s++)
		printf("%s%.3f", s ? "," : "", ns[s]);
	printf("\n");
	fflush(stdout);
}

static void run_cell(const char *cell, int warmup_ms, int samples, int sample_ms)
{
	unsigned batch;
	char fdmode[16];
	if (sscanf(cell, "nop-%u-%15s", &batch, fdmode) == 2) {
		int registered = strcmp(fdmode, "registered") == 0;
		if ((!registered && strcmp(fdmode, "plain") != 0) || batch == 0 || batch > SQ_ENTRIES
		    || NOP_OPS % batch != 0) {
			fprintf(stderr, "nop_bench: bad cell %s\n", cell);
			exit(2);
		}
		struct nop_state s = { .batch = batch };
		ring_init(&s.ring, registered);
		measure(cell, nop_step, &s, warmup_ms, samples, sample_ms);
		io_uring_queue_exit(&s.ring);
	} else if (strcmp(cell, "enter-plain") == 0 || strcmp(cell, "enter-registered") == 0) {
		int registered = strcmp(cell, "enter-registered") == 0;
		struct enter_state s;
		ring_init(&s.ring, registered);
		s.fd = registered ? s.ring.enter_ring_fd : s.ring.ring_fd;
		s.flags = registered ? IORING_ENTER_REGISTERED_RING : 0;
		measure(cell, enter_step, &s, warmup_ms, samples, sample_ms);
		io_uring_queue_exit(&s.ring);
	} else if (strcmp(cell, "syscall-inline") == 0 || strcmp(cell, "syscall-ret") == 0) {
#if defined(__x86_64__)
		struct enter_state s;
		ring_init(&s.ring, 1);
		s.fd = s.ring.enter_ring_fd;
		s.flags = IORING_ENTER_REGISTERED_RING;
		measure(cell, strcmp(cell, "syscall-inline") == 0 ? syscall_inline_step : syscall_ret_step, &s,
			warmup_ms, samples, sample_ms);
		io_uring_queue_exit(&s.ring);
#else
		fprintf(stderr, "nop_bench: %s needs x86-64 (inline syscall instruction)\n", cell);
		exit(2);
#endif
	} else if (strcmp(cell, "bufring-recycle") == 0 || strcmp(cell, "bufring-add-advance") == 0) {
		struct bufring_state s = { .bid = 0 };
		ring_init(&s.ring, 0);
		if (posix_memalign((void **) &s.br, 4096, BUF_ENTRIES * sizeof(struct io_uring_buf)) != 0
		    || posix_memalign((void **) &s.bufs, 4096, (size_t) BUF_ENTRIES * BUF_SIZE) != 0)
			die("posix_memalign", ENOMEM);
		struct io_uring_buf_reg reg = { .ring_addr = (uintptr_t) s.br, .ring_entries = BUF_ENTRIES,
						.bgid = BGID };
		int r = io_uring_register_buf_ring(&s.ring, &reg, 0);
		if (r < 0)
			die("io_uring_register_buf_ring", -r);
		io_uring_buf_ring_init(s.br);
		for (unsigned bid = 0; bid < BUF_ENTRIES; bid++)
			io_uring_buf_ring_add(s.br, s.bufs + (size_t) bid * BUF_SIZE, BUF_SIZE, bid,
					      io_uring_buf_ring_mask(BUF_ENTRIES), bid);
		io_uring_buf_ring_advance(s.br, BUF_ENTRIES);
		int recycle = strcmp(cell, "bufring-recycle") == 0;
		measure(cell, recycle ? bufring_recycle_step : bufring_add_advance_step, &s, warmup_ms, samples,
			sample_ms);
		io_uring_unregister_buf_ring(&s.ring, BGID);
		io_uring_queue_exit(&s.ring);
		free(s.bufs);
		free(s.br);
	} else if (strcmp(cell, "cq-drain") == 0) {
		struct io_uring ring;
		ring_init(&ring, 0);
		for (unsigned i = 0; i < NOP_OPS; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			io_uring_prep_nop(sqe);
			sqe->user_data = i;
		}
		int r = io_uring_submit_and_wait(&ring, NOP_OPS);
		if (r != NOP_OPS || io_uring_cq_ready(&ring) != NOP_OPS)
			die("filling the CQ", r < 0 ? -r : EIO);
		measure(cell, cq_drain_step, &ring, warmup_ms, samples, sample_ms);
		io_uring_queue_exit(&ring);
	} else {
		fprintf(stderr, "nop_bench: unknown cell %s\n", cell);
		exit(2);
	}
}

int main(int argc, char **argv)
{
	int warmup_ms = 500, samples = 5, sample_ms = 500, i = 1;
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (i + 1 >= argc) {
			fprintf(stderr, "nop_bench: %s needs a value\n", argv[i]);
			return 2;
		}
		int v = atoi(argv[i + 1]);
		if (strcmp(argv[i], "--warmup-ms") == 0)
			warmup_ms = v;
		else if (strcmp(argv[i], "--samples") == 0)
			samples = v;
		else if (strcmp(argv[i], "--sample-ms") == 0)
			sample_ms = v;
		else {
			fprintf(stderr, "nop_bench: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	if (i == argc || samples < 1 || sample_ms < 1) {
		fprintf(stderr, "usage: nop_bench [--warmup-ms N] [--samples N] [--sample-ms N] CELL...\n");
		return 2;
	}
	for (; i < argc; i++)
		run_cell(argv[i], warmup_ms, samples, sample_ms);
	return 0;
}
