// Emotion waves (Shadertoy form): rings from two sources, interfering. The dreamer's emotion
// drives it: pleasure warms the palette, arousal speeds the waves up and packs them tighter,
// dominance sharpens the bands. Hold the mouse button to move the second source.
//
//     dreamscape still examples/shadertoy/emotion_waves.glsl --emotion joy=0.8 --time 2
//
// Outside Dreamscape (pasted into Shadertoy) there is no uEmotion uniform: the block below
// supplies a neutral dreamer instead.
#ifndef DREAMSCAPE
const vec3 uEmotion = vec3(0.0);
#endif

vec3 wavePalette(float x, float pleasure)
{
    vec3 cool = vec3(0.10, 0.30, 0.60);
    vec3 warm = vec3(0.80, 0.42, 0.18);
    vec3 base = mix(cool, warm, 0.5 + 0.5 * pleasure);
    return base + 0.3 * cos(6.2831853 * (x + vec3(0.0, 0.33, 0.67)));
}

void mainImage(out vec4 fragColor, in vec2 fragCoord)
{
    vec2 uv = (2.0 * fragCoord - iResolution.xy) / iResolution.y;
    float pleasure = uEmotion.x;
    float arousal = uEmotion.y;
    float dominance = uEmotion.z;

    float speed = 1.0 + 1.5 * (arousal + 1.0);
    float density = 8.0 + 6.0 * (arousal + 1.0);
    vec2 a = vec2(-0.6, 0.1 * cos(0.7 * iTime));
    vec2 b = vec2(0.6, 0.25 * sin(iTime));
    if (iMouse.z > 0.0) {
        b = (2.0 * iMouse.xy - iResolution.xy) / iResolution.y;
    }
    float w = sin(density * length(uv - a) - speed * iTime) + sin(density * length(uv - b) - speed * iTime);
    float sharpness = mix(1.0, 5.0, 0.5 + 0.5 * dominance);
    float bands = 0.5 + 0.5 * tanh(sharpness * w);

    vec3 col = wavePalette(0.2 * w + 0.05 * iTime, pleasure) * (0.3 + 0.7 * bands);
    col *= 1.0 - 0.15 * dot(uv, uv);
    fragColor = vec4(clamp(col, 0.0, 1.0), 1.0);
}
