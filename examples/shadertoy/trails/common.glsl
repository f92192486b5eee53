// Shared by both passes: where spark i is at time t (a Lissajous path, faster when aroused).
vec2 sparkPosition(int i, float t, float arousal)
{
    float k = float(i);
    float speed = 0.8 + 0.6 * (arousal + 1.0);
    return vec2(0.75 * sin(speed * t * (1.0 + 0.31 * k) + 2.1 * k),
                0.55 * sin(speed * t * (1.3 + 0.17 * k) + 0.7 * k));
}
