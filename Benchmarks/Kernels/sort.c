// sort: in-place quicksort of a pseudo-random int array.
//
// What it exercises: unpredictable branches, i32 loads and stores with data
// dependent addresses, and moderate recursion.
//
// Entry:        long long run(int n) -> checksum of the sorted array, or -1 if the
//               result is not sorted (which would be an engine bug)
// default size: 4000000 (elements; the maximum is MAX_N, larger n is clamped)

#define MAX_N 8000000
// Below this length insertion sort beats further partitioning.
#define SMALL 16

static int values[MAX_N];

static void insertion_sort(int *lo, int *hi) {
    for (int *p = lo + 1; p <= hi; p++) {
        int v = *p;
        int *q = p;
        while (q > lo && q[-1] > v) {
            *q = q[-1];
            q--;
        }
        *q = v;
    }
}

static void swap(int *a, int *b) {
    int t = *a;
    *a = *b;
    *b = t;
}

// Sorts [lo, hi] inclusive. Recursing only into the smaller half bounds the stack
// depth by log2(n), which matters inside wasm's small default shadow stack.
static void quicksort(int *lo, int *hi) {
    while (hi - lo >= SMALL) {
        // Median of three: ordering lo, mid, hi also makes lo and hi sentinels.
        int *mid = lo + (hi - lo) / 2;
        if (*mid < *lo) swap(mid, lo);
        if (*hi < *lo) swap(hi, lo);
        if (*hi < *mid) swap(hi, mid);
        int pivot = *mid;
        int *i = lo, *j = hi;
        for (;;) {
            do i++; while (*i < pivot);
            do j--; while (*j > pivot);
            if (i >= j)
                break;
            swap(i, j);
        }
        // Now [lo, j] <= pivot <= [j + 1, hi].
        if (j - lo < hi - j) {
            quicksort(lo, j);
            lo = j + 1;
        } else {
            quicksort(j + 1, hi);
            hi = j;
        }
    }
    insertion_sort(lo, hi);
}

long long run(int n) {
    if (n > MAX_N)
        n = MAX_N;
    if (n < 1)
        return 0;
    unsigned int x = 12345;
    for (int i = 0; i < n; i++) {
        x = x * 1664525u + 1013904223u;
        values[i] = (int)(x ^ (x >> 15));
    }
    quicksort(values, values + n - 1);
    unsigned long long checksum = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && values[i - 1] > values[i])
            return -1;
        checksum = checksum * 31 + (unsigned int)values[i];
    }
    return (long long)checksum;
}
