// Shadertoy inputs written out as bytes: pixel column 0 to 3 each carry three values / 255.
void mainImage(out vec4 fragColor, in vec2 fragCoord)
{
    int column = int(fragCoord.x);
    vec3 v = vec3(0.0);
    if (column == 0) v = vec3(float(iFrame), iFrameRate, iDate.x - 2000.0);
    if (column == 1) v = vec3(iDate.y, iDate.z, iDate.w);
    if (column == 2) v = (uEmotion * 0.5 + 0.5) * 255.0;
    if (column == 3) v = vec3(1.0 / iTimeDelta, iTime * 10.0, iSampleRate / 1000.0);
    fragColor = vec4(v / 255.0, 0.25);
}
