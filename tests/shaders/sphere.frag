// The same raymarcher in glslViewer form.
#ifdef GL_ES
precision highp float;
#endif

uniform vec2 u_resolution;
uniform float u_time;

float sceneDistance(vec3 p) {
    return length(p) - 1.0;
}

void main() {
    vec2 uv = (2.0 * gl_FragCoord.xy - u_resolution) / u_resolution.y;
    vec3 ro = vec3(0.0, 0.0, 3.0);
    vec3 rd = normalize(vec3(uv, -2.0));
    float t = 0.0;
    bool hit = false;
    for (int i = 0; i < 160; i++) {
        float d = sceneDistance(ro + rd * t);
        if (d < 1e-5) { hit = true; break; }
        t += d;
        if (t > 20.0) break;
    }
    vec3 col = vec3(0.1, 0.2, 0.3);
    if (hit) {
        vec3 n = normalize(ro + rd * t);
        vec3 light = normalize(vec3(cos(u_time), 1.0, sin(u_time)));
        col = vec3(max(dot(n, light), 0.0));
    }
    gl_FragColor = vec4(col, 1.0);
}
