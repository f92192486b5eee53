// camera.glsl: primary rays of a pinhole camera.
//
// vec3 dsCameraRay(vec2 fragCoord)  unit direction through a pixel (pixel centres at +0.5)
// Source: derived.
uniform vec2 uResolution;
uniform vec3 uCamPos;
uniform vec3 uCamRight;
uniform vec3 uCamUp;
uniform vec3 uCamForward;
uniform float uTanHalfFov;

vec3 dsCameraRay(vec2 fragCoord) {
    vec2 uv = (2.0 * fragCoord - uResolution) / uResolution.y;
    return normalize(uCamForward + uTanHalfFov * (uv.x * uCamRight + uv.y * uCamUp));
}
