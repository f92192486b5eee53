// uEmotion in glslViewer form (declared by the author here; the wrapper declares it otherwise).
uniform vec3 uEmotion;
out vec4 color;

void main() {
    color = vec4(uEmotion * 0.5 + 0.5, 1.0);
}
