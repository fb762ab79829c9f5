// nbody: gravitational N-body simulation with a fixed time step (symplectic Euler).
//
// What it exercises: f64 arithmetic including sqrt and division, loads and stores
// of struct fields, and a doubly nested loop over body pairs.
//
// Entry:        long long run(int steps) -> bit pattern of a checksum over the final
//               positions, velocities and total energy
// default size: 600000 (simulation steps)
//
// The bodies are generated deterministically rather than taken from a real
// ephemeris. A softening term keeps close encounters finite, so no engine ever
// sees infinities or NaNs whose bit patterns might legitimately differ.

#define BODIES 16
#define SOFTENING 0.01
#define DT 0.001

struct body {
    double x, y, z;
    double vx, vy, vz;
    double mass;
};

static struct body bodies[BODIES];

// A 64-bit LCG mapped to [0, 1) with 53 exact bits: deterministic and identical on
// every platform, unlike anything involving libm.
static unsigned long long rng_state;

static double next_unit(void) {
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) * (1.0 / 9007199254740992.0);
}

static void init_bodies(void) {
    rng_state = 42;
    for (int i = 0; i < BODIES; i++) {
        bodies[i].x = next_unit() * 10.0 - 5.0;
        bodies[i].y = next_unit() * 10.0 - 5.0;
        bodies[i].z = next_unit() * 2.0 - 1.0;
        bodies[i].vx = next_unit() - 0.5;
        bodies[i].vy = next_unit() - 0.5;
        bodies[i].vz = (next_unit() - 0.5) * 0.1;
        bodies[i].mass = 0.5 + next_unit();
    }
}

static void advance(void) {
    for (int i = 0; i < BODIES; i++) {
        struct body *bi = &bodies[i];
        for (int j = i + 1; j < BODIES; j++) {
            struct body *bj = &bodies[j];
            double dx = bi->x - bj->x;
            double dy = bi->y - bj->y;
            double dz = bi->z - bj->z;
            double d2 = dx * dx + dy * dy + dz * dz + SOFTENING;
            double mag = DT / (d2 * __builtin_sqrt(d2));
            bi->vx -= dx * bj->mass * mag;
            bi->vy -= dy * bj->mass * mag;
            bi->vz -= dz * bj->mass * mag;
            bj->vx += dx * bi->mass * mag;
            bj->vy += dy * bi->mass * mag;
            bj->vz += dz * bi->mass * mag;
        }
    }
    for (int i = 0; i < BODIES; i++) {
        bodies[i].x += DT * bodies[i].vx;
        bodies[i].y += DT * bodies[i].vy;
        bodies[i].z += DT * bodies[i].vz;
    }
}

static double energy(void) {
    double e = 0.0;
    for (int i = 0; i < BODIES; i++) {
        struct body *bi = &bodies[i];
        e += 0.5 * bi->mass * (bi->vx * bi->vx + bi->vy * bi->vy + bi->vz * bi->vz);
        for (int j = i + 1; j < BODIES; j++) {
            struct body *bj = &bodies[j];
            double dx = bi->x - bj->x, dy = bi->y - bj->y, dz = bi->z - bj->z;
            e -= bi->mass * bj->mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz + SOFTENING);
        }
    }
    return e;
}

long long run(int steps) {
    init_bodies();
    for (int s = 0; s < steps; s++)
        advance();
    double sum = energy();
    for (int i = 0; i < BODIES; i++)
        sum += bodies[i].x + bodies[i].y + bodies[i].z + bodies[i].vx + bodies[i].vy + bodies[i].vz;
    union { double d; long long i; } bits = { sum };
    return bits.i;
}
