// raytrace: a small Whitted-style ray tracer in double precision: five spheres over a
// checkered floor, two point lights with hard shadows, Lambert diffuse plus
// Blinn-Phong specular shading and one mirror bounce, rendered into a fixed-size
// frame with the camera sliding sideways from frame to frame.
//
// What it exercises: f64 arithmetic with sqrt and division, small structs passed and
// returned by value (through the shadow stack in wasm32), branches on floating-point
// comparisons, loops over an array of objects, shallow recursion and f64 <-> integer
// conversions.
//
// Entry:        long long run(int n) -> checksum of the quantised pixels of n frames
// default size: 256 (frames of WIDTH x HEIGHT pixels)
// Checksum:     polynomial hash (x 31, mod 2^63) of every frame's 8-bit R, G, B values
//
// Every operation is a correctly rounded IEEE 754 one (+, -, *, /, sqrt), so every
// engine and the native build compute the same pixels. Fused multiply-add would
// change the rounding, hence the pragma below for native targets that have it. No
// libm: the only function beyond arithmetic is __builtin_sqrt (wasm's f64.sqrt).

#pragma STDC FP_CONTRACT OFF

#define WIDTH 160
#define HEIGHT 120
#define SPHERES 5
#define LIGHTS 2
// Rays start this far off a surface so they do not hit it again through rounding.
#define EPSILON 1e-6
#define FAR 1e9
// Primary rays reflect once; the reflected ray is shaded without a further bounce.
#define MAX_DEPTH 1

typedef struct {
    double x, y, z;
} vec3;

static vec3 make(double x, double y, double z) {
    vec3 v = {x, y, z};
    return v;
}
static vec3 add(vec3 a, vec3 b) { return make(a.x + b.x, a.y + b.y, a.z + b.z); }
static vec3 sub(vec3 a, vec3 b) { return make(a.x - b.x, a.y - b.y, a.z - b.z); }
static vec3 scale(vec3 a, double s) { return make(a.x * s, a.y * s, a.z * s); }
static vec3 mul(vec3 a, vec3 b) { return make(a.x * b.x, a.y * b.y, a.z * b.z); }
static double dot(vec3 a, vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
static vec3 cross(vec3 a, vec3 b) {
    return make(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x);
}
static double length(vec3 a) { return __builtin_sqrt(dot(a, a)); }
static vec3 normalize(vec3 a) { return scale(a, 1.0 / length(a)); }
// a + (b - a) * t
static vec3 mix(vec3 a, vec3 b, double t) { return add(scale(a, 1.0 - t), scale(b, t)); }

// x^n for a small non-negative integer n, by repeated squaring (instead of libm's pow).
static double power(double x, int n) {
    double result = 1.0;
    while (n > 0) {
        if (n & 1)
            result *= x;
        x *= x;
        n >>= 1;
    }
    return result;
}

// floor for |x| < 2^62, without libm.
static long long floor_to_int(double x) {
    long long i = (long long)x;
    return (double)i > x ? i - 1 : i;
}

static double clamp01(double x) { return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x); }

struct material {
    vec3 color;
    double diffuse, specular, reflectivity;
    int shininess;  // Blinn-Phong exponent
};

struct sphere {
    vec3 center;
    double radius;
    struct material material;
};

struct light {
    vec3 position;
    vec3 color;
};

static const struct sphere spheres[SPHERES] = {
    {{0.0, 1.0, 0.0}, 1.0, {{0.9, 0.9, 0.9}, 0.3, 0.8, 0.6, 64}},   // mirror-like
    {{-2.2, 0.7, 0.8}, 0.7, {{0.9, 0.2, 0.2}, 0.9, 0.4, 0.1, 16}},
    {{2.0, 0.6, -0.5}, 0.6, {{0.2, 0.8, 0.3}, 0.8, 0.5, 0.2, 32}},
    {{0.9, 0.3, -1.6}, 0.3, {{0.2, 0.3, 0.9}, 0.9, 0.9, 0.0, 128}},
    {{-0.8, 2.6, 1.8}, 0.5, {{0.9, 0.8, 0.2}, 0.7, 0.3, 0.3, 8}},
};

static const struct light lights[LIGHTS] = {
    {{-4.0, 6.0, -3.0}, {0.9, 0.85, 0.8}},
    {{5.0, 4.0, -1.0}, {0.3, 0.35, 0.5}},
};

static const vec3 ambient = {0.08, 0.08, 0.1};

// The floor is the plane y = 0, a checkerboard of unit squares.
static const struct material floor_light = {{0.85, 0.85, 0.8}, 0.9, 0.2, 0.25, 16};
static const struct material floor_dark = {{0.15, 0.15, 0.2}, 0.9, 0.2, 0.25, 16};

struct hit {
    double t;
    vec3 point, normal;
    const struct material *material;
};

// Distance along the ray (origin, unit dir) to the sphere, or FAR if it is missed.
static double intersect_sphere(const struct sphere *s, vec3 origin, vec3 dir) {
    vec3 oc = sub(origin, s->center);
    double b = dot(oc, dir);
    double c = dot(oc, oc) - s->radius * s->radius;
    double discriminant = b * b - c;
    if (discriminant < 0.0)
        return FAR;
    double root = __builtin_sqrt(discriminant);
    double t = -b - root;
    if (t > EPSILON)
        return t;
    t = -b + root;  // the origin is inside the sphere
    return t > EPSILON ? t : FAR;
}

static double intersect_floor(vec3 origin, vec3 dir) {
    if (dir.y > -1e-9 && dir.y < 1e-9)
        return FAR;
    double t = -origin.y / dir.y;
    // Far away the checkerboard only aliases; treat the distant floor as horizon.
    return t > EPSILON && t < 200.0 ? t : FAR;
}

// The nearest surface along the ray; returns 0 if there is none.
static int trace(vec3 origin, vec3 dir, struct hit *hit) {
    double nearest = FAR;
    int which = -1;
    for (int i = 0; i < SPHERES; i++) {
        double t = intersect_sphere(&spheres[i], origin, dir);
        if (t < nearest) {
            nearest = t;
            which = i;
        }
    }
    double t = intersect_floor(origin, dir);
    if (t < nearest) {
        nearest = t;
        which = SPHERES;
    }
    if (which < 0)
        return 0;
    hit->t = nearest;
    hit->point = add(origin, scale(dir, nearest));
    if (which == SPHERES) {
        hit->normal = make(0.0, 1.0, 0.0);
        long long cell = floor_to_int(hit->point.x) + floor_to_int(hit->point.z);
        hit->material = (cell & 1) ? &floor_dark : &floor_light;
    } else {
        const struct sphere *s = &spheres[which];
        hit->normal = scale(sub(hit->point, s->center), 1.0 / s->radius);
        hit->material = &s->material;
    }
    return 1;
}

// Is anything between point and a light `distance` away in direction dir?
static int in_shadow(vec3 point, vec3 dir, double distance) {
    for (int i = 0; i < SPHERES; i++) {
        if (intersect_sphere(&spheres[i], point, dir) < distance)
            return 1;
    }
    return 0;  // the floor cannot shadow anything above it
}

static vec3 sky(vec3 dir) {
    double t = clamp01(0.5 + 0.5 * dir.y);
    return mix(make(0.95, 0.9, 0.85), make(0.35, 0.55, 0.9), t);
}

static vec3 shade(vec3 origin, vec3 dir, int depth) {
    struct hit hit;
    if (!trace(origin, dir, &hit))
        return sky(dir);
    const struct material *m = hit.material;
    vec3 normal = hit.normal;
    // Lift the point off the surface so shadow and reflection rays start outside it.
    vec3 point = add(hit.point, scale(normal, EPSILON * 10.0));
    vec3 color = mul(ambient, m->color);
    for (int i = 0; i < LIGHTS; i++) {
        vec3 to_light = sub(lights[i].position, point);
        double distance = length(to_light);
        vec3 l = scale(to_light, 1.0 / distance);
        double lambert = dot(normal, l);
        if (lambert <= 0.0 || in_shadow(point, l, distance))
            continue;
        vec3 diffuse = scale(mul(m->color, lights[i].color), m->diffuse * lambert);
        vec3 halfway = normalize(sub(l, dir));
        double highlight = dot(normal, halfway);
        if (highlight > 0.0)
            diffuse = add(diffuse, scale(lights[i].color, m->specular * power(highlight, m->shininess)));
        color = add(color, diffuse);
    }
    if (depth < MAX_DEPTH && m->reflectivity > 0.0) {
        vec3 reflected = sub(dir, scale(normal, 2.0 * dot(dir, normal)));
        vec3 bounce = shade(point, reflected, depth + 1);
        color = mix(color, bounce, m->reflectivity);
    }
    return color;
}

// Tone map (x / (1 + x)), gamma 2 (a square root) and 8-bit quantisation.
static int quantise(double x) {
    if (!(x > 0.0))
        return 0;
    double mapped = __builtin_sqrt(x / (1.0 + x) * 1.6);
    return (int)(clamp01(mapped) * 255.0 + 0.5);
}

static unsigned char image[HEIGHT][WIDTH][3];

static void render_frame(int frame) {
    // The camera slides along x and back with a period of 64 frames, looking at the
    // centre of the scene.
    int phase = frame & 63;
    double slide = (phase < 32 ? phase : 64 - phase) / 32.0;  // 0 .. 1 .. 0
    vec3 eye = make(-3.0 + 6.0 * slide, 2.2, -7.0);
    vec3 target = make(0.0, 0.9, 0.0);
    vec3 forward = normalize(sub(target, eye));
    vec3 right = normalize(cross(make(0.0, 1.0, 0.0), forward));
    vec3 up = cross(forward, right);
    double half_height = 0.45, half_width = half_height * WIDTH / HEIGHT;
    for (int y = 0; y < HEIGHT; y++) {
        double v = half_height * (1.0 - 2.0 * (y + 0.5) / HEIGHT);
        for (int x = 0; x < WIDTH; x++) {
            double u = half_width * (2.0 * (x + 0.5) / WIDTH - 1.0);
            vec3 dir = normalize(add(forward, add(scale(right, u), scale(up, v))));
            vec3 c = shade(eye, dir, 0);
            image[y][x][0] = (unsigned char)quantise(c.x);
            image[y][x][1] = (unsigned char)quantise(c.y);
            image[y][x][2] = (unsigned char)quantise(c.z);
        }
    }
}

long long run(int n) {
    if (n < 1)
        return 0;
    unsigned long long checksum = 0;
    for (int frame = 0; frame < n; frame++) {
        render_frame(frame);
        const unsigned char *p = &image[0][0][0];
        for (int i = 0; i < HEIGHT * WIDTH * 3; i++)
            checksum = checksum * 31 + p[i];
    }
    return (long long)(checksum & 0x7FFFFFFFFFFFFFFFULL);
}
