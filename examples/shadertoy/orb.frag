// Orb (glslViewer form): a raymarched sphere whose surface ripples with the dreamer's arousal
// and whose light warms with pleasure. u_mouse turns the light.
//
//     dreamscape still examples/shadertoy/orb.frag --emotion fear=0.9 --size 320x180
//     glslViewer examples/shadertoy/orb.frag          (uEmotion is then zero: a calm orb)
#ifdef GL_ES
precision highp float;
#endif

uniform vec2 u_resolution;
uniform vec2 u_mouse;
uniform float u_time;
uniform vec3 uEmotion;

float orbDistance(vec3 p) {
    float ripple = 0.04 + 0.06 * (uEmotion.y + 1.0);
    float frequency = 6.0 + 4.0 * (uEmotion.y + 1.0);
    float d = length(p) - 1.0;
    d += ripple * sin(frequency * p.x + u_time) * sin(frequency * p.y + 1.3 * u_time) * sin(frequency * p.z);
    return 0.6 * d;   // the ripple stretches space: step by a bound
}

vec3 orbNormal(vec3 p) {
    vec2 e = vec2(1e-3, 0.0);
    return normalize(vec3(orbDistance(p + e.xyy) - orbDistance(p - e.xyy),
                          orbDistance(p + e.yxy) - orbDistance(p - e.yxy),
                          orbDistance(p + e.yyx) - orbDistance(p - e.yyx)));
}

void main() {
    vec2 uv = (2.0 * gl_FragCoord.xy - u_resolution) / u_resolution.y;
    vec3 ro = vec3(0.0, 0.0, 3.2);
    vec3 rd = normalize(vec3(uv, -2.0));
    float t = 0.0;
    bool hit = false;
    for (int i = 0; i < 128; i++) {
        float d = orbDistance(ro + rd * t);
        if (d < 1e-3) { hit = true; break; }
        t += d;
        if (t > 8.0) break;
    }
    float angle = u_mouse.x > 0.0 ? 6.2831853 * u_mouse.x / u_resolution.x : 0.6 * u_time;
    vec3 light = normalize(vec3(cos(angle), 0.8, sin(angle)));
    vec3 warm = mix(vec3(0.55, 0.65, 1.0), vec3(1.0, 0.75, 0.5), 0.5 + 0.5 * uEmotion.x);
    vec3 col = mix(vec3(0.02, 0.02, 0.05), vec3(0.12, 0.1, 0.2), gl_FragCoord.y / u_resolution.y);
    if (hit) {
        vec3 n = orbNormal(ro + rd * t);
        float diffuse = max(dot(n, light), 0.0);
        float rim = pow(1.0 - max(dot(n, -rd), 0.0), 3.0);
        col = warm * (0.1 + 0.9 * diffuse) + 0.4 * rim * vec3(0.6, 0.7, 1.0);
    }
    gl_FragColor = vec4(pow(clamp(col, 0.0, 1.0), vec3(1.0 / 2.2)), 1.0);
}
