<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- bordercov: layer "markers". Border markers by custody: green when a
     household or team looks after the marker, red (and larger) when no one
     does; each labelled with its id. A field name in double braces becomes
     the name the output gives that field. -->
<qgis version="3.22.0" styleCategories="Symbology|Labeling" labelsEnabled="1">
  <renderer-v2 type="categorizedSymbol" attr="{{status}}" symbollevels="0" forceraster="0" enableorderby="0">
    <categories>
      <category render="true" symbol="0" value="unowned" label="unowned: no custodian"/>
      <category render="true" symbol="1" value="custodied" label="custodied"/>
    </categories>
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="square"/>
          <prop k="color" v="215,25,28,255"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.4"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="3.4"/>
          <prop k="size_unit" v="MM"/>
          <prop k="angle" v="45"/>
          <prop k="joinstyle" v="miter"/>
          <prop k="scale_method" v="diameter"/>
        </layer>
      </symbol>
      <symbol type="marker" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="circle"/>
          <prop k="color" v="26,150,65,255"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="2"/>
          <prop k="size_unit" v="MM"/>
          <prop k="angle" v="0"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="scale_method" v="diameter"/>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="{{marker_id}}" isExpression="0"
                  fontFamily="DejaVu Sans" namedStyle="Book" fontWeight="50" fontItalic="0" fontSize="7.5" fontSizeUnit="Point"
                  textColor="40,40,40,255" textOpacity="1" multilineHeight="1" blendMode="0" allowHtml="0">
        <text-buffer bufferDraw="1" bufferSize="0.7" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.85"
                     bufferJoinStyle="128" bufferNoFill="1" bufferBlendMode="0"/>
      </text-style>
      <text-format multilineAlign="0" wrapChar="" autoWrapLength="0" formatNumbers="0" decimals="3" plussign="0"/>
      <placement placement="6" predefinedPositionOrder="R,L,TR,BR,TL,BL,T,B" dist="1" distUnits="MM" priority="6"
                 centroidWhole="0" centroidInside="0" fitInPolygonOnly="0" repeatDistance="0" repeatDistanceUnits="MM"
                 offsetType="0" quadOffset="4" xOffset="0" yOffset="0" offsetUnits="MM" rotationAngle="0" preserveRotation="1"/>
      <rendering drawLabels="1" displayAll="0" obstacle="1" obstacleFactor="1" obstacleType="0" labelPerPart="0"
                 mergeLines="0" upsidedownLabels="0" limitNumLabels="0" maxNumLabels="2000" minFeatureSize="0"
                 scaleVisibility="0" scaleMin="0" scaleMax="0" fontLimitPixelSize="0" fontMinPixelSize="3"
                 fontMaxPixelSize="10000" zIndex="1"/>
    </settings>
  </labeling>
  <blendMode>0</blendMode>
  <featureBlendMode>0</featureBlendMode>
  <layerOpacity>1</layerOpacity>
</qgis>
