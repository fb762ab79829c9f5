// Clocks: prints only facts that hold on any machine (as 0 or 1): the realtime clock
// is after 2020 and before 2100, the monotonic clock never goes back, sleeping 10 ms
// (nanosleep, usleep, clock_nanosleep) advances it by at least that, resolutions are
// sensible, and time()/gettimeofday() agree with clock_gettime. No preopened directory.
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int64_t nanoseconds(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) return -1;
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void fact(const char *what, int holds) { printf("%s: %d\n", what, holds ? 1 : 0); }

int main(void) {
    struct timespec ts;
    fact("clock_gettime realtime succeeds", clock_gettime(CLOCK_REALTIME, &ts) == 0);
    fact("realtime after 2020-01-01", ts.tv_sec > 1577836800);
    fact("realtime before 2100-01-01", ts.tv_sec < 4102444800);
    fact("tv_nsec in range", ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);

    int64_t previous = nanoseconds(CLOCK_MONOTONIC);
    fact("clock_gettime monotonic succeeds", previous >= 0);
    int nondecreasing = 1;
    for (int i = 0; i < 20000; i++) {
        int64_t now = nanoseconds(CLOCK_MONOTONIC);
        nondecreasing &= now >= previous;
        previous = now;
    }
    fact("monotonic non-decreasing over 20000 reads", nondecreasing);

    struct timespec resolution = {0, 0};
    fact("clock_getres monotonic succeeds", clock_getres(CLOCK_MONOTONIC, &resolution) == 0);
    fact("monotonic resolution in (0, 10 ms]",
         (resolution.tv_sec > 0 || resolution.tv_nsec > 0) && resolution.tv_sec == 0 && resolution.tv_nsec <= 10000000);
    resolution.tv_sec = resolution.tv_nsec = 0;
    fact("clock_getres realtime succeeds", clock_getres(CLOCK_REALTIME, &resolution) == 0);
    fact("realtime resolution in (0, 1 s]",
         (resolution.tv_sec > 0 || resolution.tv_nsec > 0) && (resolution.tv_sec == 0 || (resolution.tv_sec == 1 && resolution.tv_nsec == 0)));

    int64_t start = nanoseconds(CLOCK_MONOTONIC);
    struct timespec ten_ms = {0, 10000000};
    fact("nanosleep 10 ms returns 0", nanosleep(&ten_ms, NULL) == 0);
    int64_t after_nanosleep = nanoseconds(CLOCK_MONOTONIC);
    fact("nanosleep advanced monotonic by >= 10 ms", after_nanosleep - start >= 10000000);
    fact("nanosleep took < 5 s", after_nanosleep - start < 5000000000LL);

    fact("usleep 10000 returns 0", usleep(10000) == 0);
    int64_t after_usleep = nanoseconds(CLOCK_MONOTONIC);
    fact("usleep advanced monotonic by >= 10 ms", after_usleep - after_nanosleep >= 10000000);

    fact("clock_nanosleep relative 10 ms returns 0", clock_nanosleep(CLOCK_MONOTONIC, 0, &ten_ms, NULL) == 0);
    int64_t after_clock_nanosleep = nanoseconds(CLOCK_MONOTONIC);
    fact("clock_nanosleep advanced monotonic by >= 10 ms", after_clock_nanosleep - after_usleep >= 10000000);

    struct timespec zero = {0, 0};
    fact("nanosleep 0 returns 0", nanosleep(&zero, NULL) == 0);

    int64_t real = nanoseconds(CLOCK_REALTIME);
    time_t seconds = time(NULL);
    fact("time() within 5 s of realtime", seconds - real / 1000000000 < 5 && real / 1000000000 - seconds < 5);
    struct timeval tv;
    fact("gettimeofday succeeds", gettimeofday(&tv, NULL) == 0);
    fact("gettimeofday within 5 s of realtime",
         tv.tv_sec - real / 1000000000 < 5 && real / 1000000000 - tv.tv_sec < 5 && tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    return 0;
}
