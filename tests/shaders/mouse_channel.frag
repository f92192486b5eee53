// u_tex0 and u_mouse in glslViewer form (texture2D and gl_FragColor, as glslViewer examples do).
#ifdef GL_ES
precision mediump float;
#endif

uniform sampler2D u_tex0;
uniform vec2 u_tex0Resolution;
uniform vec2 u_resolution;
uniform vec2 u_mouse;

void main() {
    vec4 color = texture2D(u_tex0, gl_FragCoord.xy / u_resolution);
    if (distance(gl_FragCoord.xy, u_mouse) < 6.0) {
        color = vec4(1.0, 0.0, 1.0, 1.0);
    }
    if (u_tex0Resolution != u_resolution) {
        color = vec4(0.0);
    }
    gl_FragColor = color;
}
