// The same 2D pattern in glslViewer form (GLSL ES 1.00 style, as glslViewer examples are written).
#ifdef GL_ES
precision mediump float;
#endif

uniform vec2 u_resolution;
uniform float u_time;

varying vec2 v_texcoord;

void main() {
    vec2 st = gl_FragCoord.xy / u_resolution;
    gl_FragColor = vec4(st.x, v_texcoord.y, fract(u_time), 1.0);
}
