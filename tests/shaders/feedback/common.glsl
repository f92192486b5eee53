// Shared by every pass (Shadertoy's Common tab).
vec4 fetchTexel(sampler2D channel, vec2 fragCoord)
{
    return texelFetch(channel, ivec2(fragCoord), 0);
}
